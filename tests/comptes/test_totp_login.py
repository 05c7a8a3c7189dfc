"""With a second factor, the password alone never authenticates: a code must follow."""

import time

import pytest
from django.test import Client

from socle.comptes import totp
from socle.comptes.models import SecurityEvent, TOTPDevice
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import enrol_totp, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(operateur):
    return enrol_totp(operateur)


def test_it_asks_for_a_code_after_the_password(client, operateur, password, secret):
    response = log_in(client, operateur, password, next="/gestion/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/second-facteur/"
    assert "_auth_user_id" not in client.session
    assert client.get("/gestion/").status_code == 302
    page = client.get("/comptes/second-facteur/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Code de sécurité" in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert_accessible(page)
    done = client.post("/comptes/second-facteur/", {"code": totp.code_at(secret)})
    assert done.status_code == 302
    assert done["Location"] == "/gestion/"
    assert client.session["_auth_user_id"] == str(operateur.pk)
    assert client.get("/gestion/").status_code == 200
    event = SecurityEvent.objects.filter(user=operateur, kind="login").get()
    assert event.details == {"method": "password", "second_factor": True}


def test_it_refuses_a_wrong_code(client, operateur, password, secret):
    log_in(client, operateur, password)
    wrong = str((int(totp.code_at(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post("/comptes/second-facteur/", {"code": wrong})
    assert response.status_code == 400
    assert "Ce code n’est pas valable" in response.content.decode()
    assert_accessible(response)
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(user=operateur, kind="totp_failed").count() == 1
    malformed = client.post("/comptes/second-facteur/", {"code": "12ab"})
    assert malformed.status_code == 400
    assert "Le code compte 6 chiffres." in malformed.content.decode()


def test_it_refuses_a_replayed_code(client, operateur, password, secret):
    code = totp.code_at(secret)
    log_in(client, operateur, password)
    assert client.post("/comptes/second-facteur/", {"code": code}).status_code == 302
    # Someone who saw the code types it in the same 30 seconds.
    thief = Client()
    log_in(thief, operateur, password)
    response = thief.post("/comptes/second-facteur/", {"code": code})
    assert response.status_code == 400
    assert "_auth_user_id" not in thief.session
    event = SecurityEvent.objects.filter(user=operateur, kind="totp_failed").get()
    assert event.details == {"replay": True}
    # An older code than the last one accepted is refused too.
    previous = totp.code_at(secret, time.time() - 30)
    assert thief.post("/comptes/second-facteur/", {"code": previous}).status_code == 400


def test_it_accepts_the_neighbouring_time_steps_only(secret):
    now = time.time()
    step = totp.current_step(now)
    assert totp.matching_step(secret, totp.code_at(secret, now), at=now) == step
    assert totp.matching_step(secret, totp.code_at(secret, now - 30), at=now) == step - 1
    assert totp.matching_step(secret, totp.code_at(secret, now + 30), at=now) == step + 1
    assert totp.matching_step(secret, totp.code_at(secret, now - 60), at=now) is None
    assert totp.matching_step(secret, totp.code_at(secret, now + 60), at=now) is None
    assert totp.matching_step(secret, "123 456"[:3], at=now) is None


def test_it_accepts_a_code_from_a_slightly_slow_clock(client, operateur, password, secret):
    device = TOTPDevice.objects.get(user=operateur)
    device.last_step = totp.current_step() - 5
    device.save()
    log_in(client, operateur, password)
    late = totp.code_at(secret, time.time() - 30)
    assert client.post("/comptes/second-facteur/", {"code": late}).status_code == 302


def test_it_matches_the_rfc_6238_test_vector():
    # RFC 6238, appendix B: SHA-1, secret "12345678901234567890", T = 59 s -> 94287082 (8 digits).
    import base64

    import pyotp

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert pyotp.TOTP(secret, digits=8).at(59) == "94287082"
    assert totp.code_at(secret, 59) == "287082"


def test_it_cancels_the_pending_login(client, operateur, password, secret):
    log_in(client, operateur, password)
    client.post("/comptes/deconnexion/")
    assert client.get("/comptes/second-facteur/")["Location"] == "/comptes/connexion/"


def test_it_cancels_the_pending_login_when_the_password_changes(
    client, operateur, password, secret
):
    log_in(client, operateur, password)
    operateur.set_password("Un-autre-mot-de-passe-2026")
    operateur.save()
    response = client.post("/comptes/second-facteur/", {"code": totp.code_at(secret)})
    assert response["Location"] == "/comptes/connexion/"
    assert "_auth_user_id" not in client.session
