"""Logging out after a FranceConnect login goes through FranceConnect's /session/end."""

import pytest

from socle.comptes.models import SecurityEvent
from tests.helpers.comptes import log_in
from tests.helpers.oidc import (
    SITE,
    assert_rejected,
    logged_in_user,
    login_through,
    provider_redirect,
    query,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def _logout_at_provider(client, fake_fc):
    response = client.post("/comptes/oidc/deconnexion/")
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(fake_fc.issuer + "/session/end?")
    return end_session


def test_it_logs_out_of_the_platform_and_of_franceconnect(client, fake_fc):
    login_through(client, "angela")
    user = logged_in_user(client)
    assert "Me déconnecter" in client.get("/comptes/oidc/deconnexion/").content.decode()

    end_session = _logout_at_provider(client, fake_fc)

    params = query(end_session)
    assert params["post_logout_redirect_uri"] == (
        SITE + "/comptes/oidc/franceconnect/deconnexion/retour/"
    )
    assert len(params["state"]) >= 32
    assert params["id_token_hint"].count(".") == 2
    assert not logged_in_user(client).is_authenticated  # already, locally
    back = provider_redirect(end_session)
    assert query(back)["state"] == params["state"]
    response = client.get(back)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "déconnecté(e) de la plateforme et de FranceConnect" in client.get("/").content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGOUT, user=user)
    assert event.details == {"provider": "franceconnect"}


def test_it_refuses_a_logout_answer_with_another_state(client, fake_fc):
    login_through(client, "angela")
    end_session = _logout_at_provider(client, fake_fc)
    fake_fc.misbehave.logout_state = "s" * 43

    response = client.get(provider_redirect(end_session))

    assert_rejected(response, "logout_state_mismatch")
    assert not logged_in_user(client).is_authenticated


def test_it_refuses_a_logout_answer_nobody_asked_for(client, fake_fc):
    response = client.get("/comptes/oidc/franceconnect/deconnexion/retour/?state=" + "s" * 43)

    assert_rejected(response, "logout_state_mismatch")


def test_it_logs_out_a_password_session_without_the_provider(client, fake_fc, citizen, password):
    log_in(client, citizen, password)
    assert logged_in_user(client).is_authenticated

    response = client.post("/comptes/oidc/deconnexion/")

    assert response["Location"] == "/"
    assert not logged_in_user(client).is_authenticated
    assert not any(path.endswith("/session/end") for _, path in fake_fc.requests)
