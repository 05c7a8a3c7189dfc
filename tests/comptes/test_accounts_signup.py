"""A citizen signs up with an email and a password, and verifies the address by email."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from socle.comptes.models import SecurityEvent, User
from socle.comptes.security import email_verification_token
from tests.helpers.a11y import assert_accessible
from tests.helpers.mail import path_in

pytestmark = pytest.mark.django_db

EMAIL = "lea.habitante@example.fr"
PASSWORD = "Une-phrase-de-passe-2026"
VERIFICATION_PATH = re.compile(r"https?://[^/\s]+(/comptes/verification/[^/\s]+/[^/\s]+/)")


def sign_up(client, django_capture_on_commit_callbacks, **overrides):
    data = {
        "email": EMAIL,
        "first_name": "Léa",
        "last_name": "Habitante",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/comptes/inscription/", data)


def verification_path(message) -> str:
    return path_in(message, VERIFICATION_PATH)


def test_it_shows_the_sign_up_form_with_the_password_rule(client):
    response = client.get("/comptes/inscription/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Créer un compte" in html
    assert "au moins 3 types de caractères" in html
    assert "au moins 14 caractères" in html
    assert 'autocomplete="new-password"' in html
    assert_accessible(response)


def test_it_creates_the_account_and_emails_a_verification_link(
    client, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://socle.example.fr"
    response = sign_up(
        client, django_capture_on_commit_callbacks, email=" Lea.Habitante@Example.fr "
    )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/inscription/envoyee/"
    user = User.objects.get(email=EMAIL)
    assert user.first_name == "Léa"
    assert user.email_verified_at is None
    assert user.check_password(PASSWORD)
    # Not logged in: the answer must be the same whether or not the address was taken.
    assert "_auth_user_id" not in client.session
    [message] = smtp_server.wait_for(1)
    assert message["To"] == EMAIL
    assert "Confirmez votre adresse" in message["Subject"]
    body = message.get_content()
    assert "https://socle.example.fr/comptes/verification/" in body
    assert "48 heures" in body
    page = client.get(response["Location"])
    assert f"Un courriel vient d’être envoyé à {EMAIL}" in page.content.decode()
    assert_accessible(page)


def test_it_verifies_the_address_once(client, smtp_server, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = verification_path(smtp_server.wait_for(1)[0])
    # Opening the link only shows a button: mail scanners that follow links verify nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirmer mon adresse" in page.content.decode()
    assert_accessible(page)
    assert User.objects.get(email=EMAIL).email_verified_at is None
    response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert user.email_verified_at is not None
    assert SecurityEvent.objects.filter(user=user, kind="email_verified").count() == 1
    # The link works once.
    again = Client()
    assert again.get(path).status_code == 410
    assert again.post(path).status_code == 410
    assert SecurityEvent.objects.filter(user=user, kind="email_verified").count() == 1


def test_it_refuses_an_expired_verification_link(
    client, smtp_server, django_capture_on_commit_callbacks, monkeypatch
):
    sign_up(client, django_capture_on_commit_callbacks)
    path = verification_path(smtp_server.wait_for(1)[0])
    later = email_verification_token._now() + timedelta(hours=48, minutes=1)
    monkeypatch.setattr(email_verification_token, "_now", lambda: later)
    response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien de vérification n’est plus valable" in response.content.decode()
    assert_accessible(response)
    assert client.post(path).status_code == 410
    assert User.objects.get(email=EMAIL).email_verified_at is None


def test_it_refuses_a_forged_verification_link(client, citizen):
    assert client.get("/comptes/verification/MQ/abc-123/").status_code == 410
    assert client.get("/comptes/verification/%%%/abc-123/").status_code == 410


def test_it_lets_an_unverified_account_log_in_and_shows_a_banner(
    client, smtp_server, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    response = client.post("/comptes/connexion/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/comptes/espace/")
    html = page.content.decode()
    assert "n’est pas encore vérifiée" in html
    assert "Recevoir un nouveau lien" in html
    assert_accessible(page)
    # A new link, on request; the first one still works until the address is verified.
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post("/comptes/verification/renvoyer/")
    assert resent.status_code == 302
    path = verification_path(smtp_server.wait_for(1)[0])
    client.post(path)
    html = client.get("/comptes/espace/").content.decode()
    assert "n’est pas encore vérifiée" not in html


def test_it_explains_a_refused_sign_up(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, password2="autre-chose-2026-XYZ")
    assert response.status_code == 400
    assert "Les deux mots de passe ne sont pas identiques." in response.content.decode()
    assert_accessible(response)
    response = sign_up(client, django_capture_on_commit_callbacks, email="pas-une-adresse")
    assert response.status_code == 400
    assert not User.objects.exists()


def test_it_sends_a_logged_in_visitor_to_my_space(client, citizen):
    client.force_login(citizen)
    assert client.get("/comptes/inscription/")["Location"] == "/comptes/espace/"
