"""The JWKS is cached, and fetched again once when the provider signs with a new key."""

import pytest

from tests.helpers.oidc import (
    assert_rejected,
    logged_in_user,
    login_through,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db
JWKS = ("GET", "/api/v2/jwks")


def test_it_caches_the_keys(client, fake_fc):
    login_through(client, "angela")
    client.logout()
    login_through(client, "pierre")

    assert fake_fc.requests.count(JWKS) == 1


def test_it_follows_a_key_rotation(client, fake_fc):
    login_through(client, "angela")
    client.logout()
    old_kid = fake_fc.signing_key.kid

    fake_fc.rotate_keys()  # new kid; the old key is no longer published
    response = login_through(client, "angela")

    assert fake_fc.signing_key.kid != old_kid
    assert response.status_code == 302
    assert logged_in_user(client).is_authenticated
    assert fake_fc.requests.count(JWKS) == 2


def test_it_refetches_only_once_for_a_key_nobody_publishes(client, fake_fc):
    login_through(client, "angela")
    client.logout()

    fake_fc.misbehave.id_token_unknown_key = True
    response = login_through(client, "angela")

    assert_rejected(response, "id_token_bad_signature")
    assert fake_fc.requests.count(JWKS) == 2
