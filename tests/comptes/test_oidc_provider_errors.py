"""When the provider is missing, down or says no, the person reads why, in French."""

import socket

import pytest

from socle.demo.fake_franceconnect import pick_identity
from tests.helpers.oidc import (
    FRANCECONNECT_SCOPES,
    assert_rejected,
    logged_in_user,
    provider_settings,
    start_login,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_says_when_franceconnect_is_not_configured(client, settings):
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "franceconnect": provider_settings("", scopes=FRANCECONNECT_SCOPES),
    }

    response = client.post("/comptes/oidc/franceconnect/connexion/")

    assert_rejected(response, "not_configured", status=503)
    assert "n’est pas configurée" in response.content.decode()


def test_it_says_when_franceconnect_does_not_answer(client, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "franceconnect": provider_settings(
            f"http://127.0.0.1:{closed_port}/api/v2", scopes=FRANCECONNECT_SCOPES
        ),
    }

    response = client.post("/comptes/oidc/franceconnect/connexion/")

    assert_rejected(response, "provider_unreachable", status=502)
    assert "ne répond pas" in response.content.decode()


def test_it_refuses_a_provider_outside_https(client, settings):
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "franceconnect": provider_settings(
            "http://franceconnect.example/api/v2", scopes=FRANCECONNECT_SCOPES
        ),
    }

    response = client.post("/comptes/oidc/franceconnect/connexion/")

    assert_rejected(response, "insecure_endpoint", status=502)


def test_it_says_when_the_citizen_cancelled(client, fake_fc):
    back = pick_identity(start_login(client), "angela", cancel=True)

    response = client.get(back)

    assert_rejected(response, "provider_error")
    assert not logged_in_user(client).is_authenticated


def test_it_knows_only_its_providers(client):
    assert client.post("/comptes/oidc/google/connexion/").status_code == 404


def test_it_starts_a_login_only_by_post(client, fake_fc):
    assert client.get("/comptes/oidc/franceconnect/connexion/").status_code == 405
