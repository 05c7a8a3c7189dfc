"""The `state` binds the provider's answer to this browser's request, once."""

import pytest

from socle.demo.fake_franceconnect import pick_identity
from tests.helpers.oidc import (
    assert_rejected,
    logged_in_user,
    rejections,
    start_login,
    with_query,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_refuses_a_forged_state(client, fake_fc):
    back = pick_identity(start_login(client), "angela")

    response = client.get(with_query(back, state="x" * 43))

    assert_rejected(response, "state_mismatch")
    assert not logged_in_user(client).is_authenticated
    # Nothing was asked of the provider: the code was never exchanged.
    assert ("POST", "/api/v2/token") not in fake_fc.requests


def test_it_refuses_a_callback_without_state(client, fake_fc):
    back = pick_identity(start_login(client), "angela")

    response = client.get(back.split("?")[0] + "?code=" + back.split("code=")[1].split("&")[0])

    assert_rejected(response, "state_mismatch")


def test_it_refuses_the_answer_to_another_browser(client, django_user_model, fake_fc):
    from django.test import Client

    victim, attacker = Client(), client
    back = pick_identity(start_login(attacker), "angela")  # the attacker's own code and state

    response = victim.get(back)  # login CSRF: the attacker lures the victim to this URL

    assert_rejected(response, "state_mismatch")
    assert not logged_in_user(victim).is_authenticated


def test_it_uses_a_state_once(client, fake_fc):
    back = pick_identity(start_login(client), "angela")
    assert client.get(back)["Location"] == "/comptes/apres-connexion/"
    assert logged_in_user(client).is_authenticated
    client.logout()

    response = client.get(back)

    assert_rejected(response, "state_mismatch")
    assert rejections().count() == 1


def test_it_refuses_a_callback_naming_another_issuer(client, fake_fc):
    back = pick_identity(start_login(client), "angela")

    response = client.get(with_query(back, iss="https://autre-fournisseur.example/api/v2"))

    assert_rejected(response, "callback_wrong_issuer")
    assert not logged_in_user(client).is_authenticated


def test_it_does_not_let_forged_callbacks_flood_the_journal(client, fake_fc):
    from socle.comptes.oidc.services import REJECTIONS_PER_IP_PER_MINUTE

    for _ in range(REJECTIONS_PER_IP_PER_MINUTE + 5):
        response = client.get("/comptes/oidc/franceconnect/retour/?code=x&state=y")
        assert response.status_code == 400

    assert rejections("state_mismatch").count() == REJECTIONS_PER_IP_PER_MINUTE
