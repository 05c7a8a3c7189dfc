"""Citizens, agents and élus need no second factor, but may switch one on (and off)."""

import time

import pytest

from socle.comptes import totp
from socle.comptes.models import SecurityEvent, TOTPDevice
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import log_in

pytestmark = pytest.mark.django_db


def test_it_logs_a_citizen_in_with_the_password_alone(client, citizen, password):
    response = log_in(client, citizen, password)
    assert response["Location"] == "/comptes/apres-connexion/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    event = SecurityEvent.objects.get(user=citizen, kind="login")
    assert event.details == {"method": "password", "second_factor": False}


def test_it_lets_a_citizen_enable_then_use_then_disable_it(client, citizen, password):
    client.force_login(citizen)
    space = client.get("/comptes/espace/").content.decode()
    assert "Activer un second facteur" in space
    page = client.get("/comptes/second-facteur/activer/")
    assert page.status_code == 200
    assert_accessible(page)
    secret = totp.secret_decrypt(TOTPDevice.objects.get(user=citizen).secret)
    earlier = totp.code_at(secret, time.time() - 30)
    response = client.post("/comptes/second-facteur/activer/", {"code": earlier})
    assert response["Location"] == "/comptes/espace/"
    space = client.get("/comptes/espace/")
    assert "Second facteur activé le" in space.content.decode()
    assert_accessible(space)

    # From now on the login asks for a code.
    client.logout()
    assert log_in(client, citizen, password)["Location"] == "/comptes/second-facteur/"
    assert (
        client.post("/comptes/second-facteur/", {"code": totp.code_at(secret)}).status_code == 302
    )

    # Switching it off takes a valid code (a new time step: wait for none, use the next one).
    refused = client.post("/comptes/second-facteur/desactiver/", {"code": "000000"})
    assert refused.status_code == 302
    assert TOTPDevice.objects.filter(user=citizen).exists()
    later = totp.code_at(secret, time.time() + 30)
    client.post("/comptes/second-facteur/desactiver/", {"code": later})
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    client.logout()
    assert log_in(client, citizen, password)["Location"] == "/comptes/apres-connexion/"


def test_it_does_not_let_an_operateur_disable_it(client, operateur):
    client.force_login(operateur)
    assert client.post("/comptes/second-facteur/desactiver/", {"code": "123456"}).status_code == 403
