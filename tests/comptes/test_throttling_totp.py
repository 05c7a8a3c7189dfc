"""Wrong second-factor codes are throttled per account: then even the right code is refused."""

import time

import pytest

from socle.comptes import totp
from socle.comptes.models import SecurityEvent
from socle.comptes.services import totp_device_confirm, totp_device_start
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def test_it_refuses_the_right_code_after_five_wrong_ones(client, operateur, password):
    secret = totp_device_start(user=operateur)
    assert totp_device_confirm(user=operateur, code=totp.code_at(secret, time.time() - 30))
    client.post("/comptes/connexion/", {"username": operateur.email, "password": password})
    right = totp.code_at(secret)
    wrong = str((int(right) + 500_000) % 1_000_000).zfill(6)
    for _ in range(5):
        assert client.post("/comptes/second-facteur/", {"code": wrong}).status_code == 400
    response = client.post("/comptes/second-facteur/", {"code": right})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert_accessible(response)
    event = SecurityEvent.objects.get(kind="login_throttled")
    assert event.user == operateur
    assert event.details == {"scope": "totp"}


def test_it_throttles_enrolment_codes_too(client, operateur, password):
    client.post("/comptes/connexion/", {"username": operateur.email, "password": password})
    client.get("/comptes/second-facteur/activer/")
    for _ in range(5):
        client.post("/comptes/second-facteur/activer/", {"code": "000000"})
    response = client.post("/comptes/second-facteur/activer/", {"code": "000000"})
    assert response.status_code == 429
    assert_accessible(response)
