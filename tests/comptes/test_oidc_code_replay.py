"""An authorization code works once: a replayed one is refused by the provider, and so by us."""

import pytest

from socle.comptes.models import SecurityEvent
from tests.helpers.oidc import (
    assert_rejected,
    logged_in_user,
    login_through,
    query,
    start_login,
    with_query,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db


def test_it_refuses_a_replayed_code(client, fake_fc):
    from django.test import Client

    from socle.demo.fake_franceconnect import pick_identity

    back = pick_identity(start_login(client), "angela")
    assert client.get(back)["Location"] == "/comptes/apres-connexion/"  # the code is used
    assert logged_in_user(client).is_authenticated
    stolen_code = query(back)["code"]

    attacker = Client()
    own_request = pick_identity(start_login(attacker), "pierre")
    response = attacker.get(with_query(own_request, code=stolen_code))

    assert_rejected(response, "token_refused")
    html = response.content.decode()
    assert "Connexion avec FranceConnect impossible" in html
    assert "a refusé le code de connexion (déjà utilisé ou expiré)" in html
    assert "Référence de l’incident : token_refused." in html
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OIDC_REJECTED)
    # The provider's own answer to the replay (RFC 6749: invalid_grant), for the journal.
    assert event.details == {
        "provider": "franceconnect",
        "reason": "token_refused",
        "detail": "HTTP 400 invalid_grant",
    }
    assert event.user is None
    assert not logged_in_user(attacker).is_authenticated
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN).count() == 1


def test_it_logs_in_again_with_a_fresh_code(client, fake_fc):
    login_through(client, "angela")
    client.logout()
    response = login_through(client, "angela")

    assert response["Location"] == "/comptes/apres-connexion/"
    assert logged_in_user(client).email == "angela.dubois@example.fr"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN).count() == 2
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OIDC_REJECTED).exists()
