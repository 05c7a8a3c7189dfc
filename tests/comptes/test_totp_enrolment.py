"""An opérateur (or an administrator) without a second factor enrols one at the first login."""

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest

from socle.comptes import totp
from socle.comptes.models import SecurityEvent, TOTPDevice
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def log_in(client, user, password, **extra):
    return client.post(
        "/comptes/connexion/", {"username": user.email, "password": password, **extra}
    )


def shown_secret(html: str) -> str:
    found = re.search(r'<code id="cle-secrete" class="secret">([A-Z2-7 ]+)</code>', html)
    assert found, html
    return found.group(1).replace(" ", "")


def test_it_takes_a_first_login_to_enrolment_without_logging_in(client, operateur, password):
    response = log_in(client, operateur, password, next="/gestion/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/second-facteur/activer/"
    # Half logged in is not logged in.
    assert "_auth_user_id" not in client.session
    assert client.get("/gestion/")["Location"].startswith("/comptes/connexion/")
    assert client.get("/comptes/espace/")["Location"].startswith("/comptes/connexion/")
    page = client.get("/comptes/second-facteur/activer/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Votre rôle demande un second facteur" in html
    assert 'role="img"' in html and "<svg" in html
    assert_accessible(page)


def test_it_shows_the_uri_the_grouped_secret_and_a_qr_code(client, operateur, password):
    log_in(client, operateur, password)
    html = client.get("/comptes/second-facteur/activer/").content.decode()
    secret = shown_secret(html)
    assert len(secret) == 32
    assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", html)
    uri = re.search(r'href="(otpauth://[^"]+)"', html).group(1).replace("&amp;", "&")
    parsed = urlparse(uri)
    assert parsed.netloc == "totp"
    assert parse_qs(parsed.query)["secret"] == [secret]
    assert parse_qs(parsed.query)["issuer"] == ["Socle"]
    # Stored encrypted, never in clear.
    stored = TOTPDevice.objects.get(user=operateur).secret
    assert secret not in stored
    assert totp.secret_decrypt(stored) == secret
    # The same secret while this session enrols.
    again = client.get("/comptes/second-facteur/activer/").content.decode()
    assert shown_secret(again) == secret


def test_it_confirms_the_device_with_a_code_and_logs_in(client, operateur, password):
    log_in(client, operateur, password, next="/gestion/")
    secret = shown_secret(client.get("/comptes/second-facteur/activer/").content.decode())
    wrong = client.post("/comptes/second-facteur/activer/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "Ce code n’est pas valable" in wrong.content.decode()
    assert_accessible(wrong)
    assert "_auth_user_id" not in client.session
    response = client.post("/comptes/second-facteur/activer/", {"code": totp.code_at(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    assert client.session["_auth_user_id"] == str(operateur.pk)
    device = TOTPDevice.objects.get(user=operateur)
    assert device.confirmed_at is not None
    assert device.last_step == totp.current_step()
    assert SecurityEvent.objects.filter(user=operateur, kind="totp_enabled").exists()
    assert client.get("/gestion/").status_code == 200


def test_it_gives_a_new_secret_to_another_session(client, operateur, password):
    from django.test import Client

    log_in(client, operateur, password)
    first = shown_secret(client.get("/comptes/second-facteur/activer/").content.decode())
    other = Client()
    log_in(other, operateur, password)
    second = shown_secret(other.get("/comptes/second-facteur/activer/").content.decode())
    assert first != second
    # The first session's secret no longer confirms anything.
    stale = client.post("/comptes/second-facteur/activer/", {"code": totp.code_at(first)})
    assert stale.status_code == 400


def test_it_sends_back_to_the_login_without_a_pending_login(client):
    response = client.get("/comptes/second-facteur/activer/")
    assert response["Location"].startswith("/comptes/connexion/")
    assert client.get("/comptes/second-facteur/")["Location"] == "/comptes/connexion/"


def test_it_forgets_a_pending_login_after_a_while(client, operateur, password, settings):
    settings.SECOND_FACTOR_PENDING_TIMEOUT = 300
    log_in(client, operateur, password)
    session = client.session
    session["_socle_pending_since"] = int(time.time()) - 301
    session.save()
    response = client.get("/comptes/second-facteur/activer/")
    assert response["Location"].startswith("/comptes/connexion/")
