"""FranceConnect v2's userinfo is a signed JWT: it is verified like the id_token."""

import pytest

from tests.helpers.oidc import assert_login_refused

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_refuses_an_unsigned_userinfo(client, fake_fc):
    fake_fc.misbehave.userinfo_unsigned = True
    assert_login_refused(client, "userinfo_not_signed")


def test_it_refuses_a_userinfo_signed_with_an_unknown_key(client, fake_fc):
    fake_fc.misbehave.userinfo_unknown_key = True
    assert_login_refused(client, "userinfo_bad_signature")


def test_it_refuses_a_userinfo_about_someone_else(client, fake_fc):
    fake_fc.misbehave.userinfo_sub = fake_fc.sub_for("pierre")
    assert_login_refused(client, "userinfo_wrong_sub")
