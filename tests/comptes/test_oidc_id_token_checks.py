"""The id_token is refused unless it is signed by the provider and meant for this login.

Each test makes the fake provider lie in one way; the relying party must refuse, journal the
reason and show a French error page, and nobody is logged in.
"""

import pytest

from tests.helpers.oidc import assert_login_refused

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_refuses_a_wrong_nonce(client, fake_fc):
    fake_fc.misbehave.id_token_nonce = "n" * 43
    assert_login_refused(client, "id_token_wrong_nonce")


def test_it_refuses_a_wrong_issuer(client, fake_fc):
    fake_fc.misbehave.id_token_iss = "https://oidc.franceconnect.example/api/v2"
    assert_login_refused(client, "id_token_wrong_issuer")


def test_it_refuses_a_token_meant_for_another_service(client, fake_fc):
    fake_fc.misbehave.id_token_aud = "another-client"
    assert_login_refused(client, "id_token_wrong_audience")


def test_it_refuses_an_expired_token(client, fake_fc):
    fake_fc.misbehave.id_token_expired = True
    assert_login_refused(client, "id_token_expired")


def test_it_refuses_another_level_of_assurance(client, fake_fc):
    fake_fc.misbehave.id_token_acr = "eidas0"
    assert_login_refused(client, "id_token_wrong_acr")


def test_it_refuses_an_unsigned_token(client, fake_fc):
    fake_fc.misbehave.id_token_alg = "none"
    assert_login_refused(client, "id_token_alg_refused")


def test_it_refuses_hs256_signed_with_the_public_key(client, fake_fc):
    fake_fc.misbehave.id_token_alg = "HS256"
    assert_login_refused(client, "id_token_alg_refused")


def test_it_refuses_a_token_signed_with_an_unknown_key(client, fake_fc):
    fake_fc.misbehave.id_token_unknown_key = True
    assert_login_refused(client, "id_token_bad_signature")
