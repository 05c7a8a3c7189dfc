"""An authorization code works once: a replayed one is refused by the provider, and so by us."""

import pytest

from socle.comptes.models import SecurityEvent
from tests.test_oidc_support import (
    assert_rejected,
    logged_in_user,
    login_through,
    query,
    start_login,
    with_query,
)

pytest_plugins = ["tests.test_oidc_support"]
pytestmark = pytest.mark.django_db


def test_it_refuses_a_replayed_code(client, fake_fc):
    from django.test import Client

    from socle.comptes.fake_franceconnect import pick_identity

    back = pick_identity(start_login(client), "angela")
    assert client.get(back).status_code == 302  # the code is used
    stolen_code = query(back)["code"]

    attacker = Client()
    own_request = pick_identity(start_login(attacker), "pierre")
    response = attacker.get(with_query(own_request, code=stolen_code))

    assert_rejected(response, "token_refused")
    assert not logged_in_user(attacker).is_authenticated
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN).count() == 1


def test_it_logs_in_again_with_a_fresh_code(client, fake_fc):
    login_through(client, "angela")
    client.logout()
    assert login_through(client, "angela").status_code == 302
