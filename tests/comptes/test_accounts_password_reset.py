"""Resetting a forgotten password by an emailed link that expires and works once."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client

from socle.comptes.models import SecurityEvent
from tests.helpers.a11y import assert_accessible
from tests.helpers.mail import path_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"
RESET_PATH = re.compile(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/)")


def ask_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/comptes/mot-de-passe/oubli/", {"email": email})


def reset_path(message) -> str:
    return path_in(message, RESET_PATH)


def choose(client, path, password=NEW_PASSWORD):
    form = client.get(path, follow=True)
    assert form.status_code == 200, form.content.decode()
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
    )


def test_it_shows_the_request_form(client):
    response = client.get("/comptes/mot-de-passe/oubli/")
    assert response.status_code == 200
    assert "Mot de passe oublié" in response.content.decode()
    assert_accessible(response)
    login_page = client.get("/comptes/connexion/").content.decode()
    assert 'href="/comptes/mot-de-passe/oubli/"' in login_page
    assert 'href="/comptes/inscription/"' in login_page


def test_it_resets_the_password_by_the_emailed_link(
    client, citizen, password, smtp_server, django_capture_on_commit_callbacks
):
    response = ask_reset(client, citizen.email.upper(), django_capture_on_commit_callbacks)
    assert response["Location"] == "/comptes/mot-de-passe/oubli/envoye/"
    [message] = smtp_server.wait_for(1)
    assert message["To"] == citizen.email
    assert "60 minutes" in message.get_content()
    path = reset_path(message)
    form = client.get(path, follow=True)
    # The token leaves the address bar (and the Referer) at once, as Django does.
    assert form.redirect_chain[-1][0].endswith("/set-password/")
    assert "Choisir un nouveau mot de passe" in form.content.decode()
    assert_accessible(form)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = choose(client, path)
    assert done.status_code == 302
    assert done["Location"] == "/comptes/connexion/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    # Receiving the link proved the address.
    assert citizen.email_verified_at is not None
    assert SecurityEvent.objects.filter(
        user=citizen, kind="password_changed", details__via="reset"
    ).exists()
    [notice] = smtp_server.wait_for(1)
    assert "Votre mot de passe a été changé" in notice["Subject"]
    # The old password no longer works, the new one does.
    assert not Client().login(email=citizen.email, password=password)
    assert Client().login(email=citizen.email, password=NEW_PASSWORD)


def test_it_works_only_once(client, citizen, smtp_server, django_capture_on_commit_callbacks):
    ask_reset(client, citizen.email, django_capture_on_commit_callbacks)
    path = reset_path(smtp_server.wait_for(1)[0])
    with django_capture_on_commit_callbacks(execute=True):
        choose(client, path)
    again = Client().get(path, follow=True)
    assert again.status_code == 410
    assert "Ce lien n’est plus valable" in again.content.decode()
    assert_accessible(again)


def test_it_expires(client, citizen, smtp_server, django_capture_on_commit_callbacks, monkeypatch):
    ask_reset(client, citizen.email, django_capture_on_commit_callbacks)
    path = reset_path(smtp_server.wait_for(1)[0])
    later = default_token_generator._now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert client.get(path, follow=True).status_code == 410


def test_it_refuses_a_weak_new_password(
    client, citizen, smtp_server, django_capture_on_commit_callbacks
):
    ask_reset(client, citizen.email, django_capture_on_commit_callbacks)
    path = reset_path(smtp_server.wait_for(1)[0])
    response = choose(client, path, password="motdepasse")
    assert response.status_code == 400
    assert "trop court" in response.content.decode()
    assert_accessible(response)


def test_it_does_not_tell_whether_an_account_exists(
    client, citizen, smtp_server, django_capture_on_commit_callbacks
):
    known = ask_reset(client, citizen.email, django_capture_on_commit_callbacks)
    unknown = ask_reset(client, "personne@example.fr", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(unknown["Location"])
    assert "Si un compte existe avec cette adresse" in page.content.decode()
    assert_accessible(page)
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == [citizen.email]


def test_it_limits_the_links_sent_to_one_account(
    client, citizen, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_RESET_EMAILS_PER_HOUR = 2
    for _ in range(4):
        response = ask_reset(client, citizen.email, django_capture_on_commit_callbacks)
        assert response.status_code == 302
    assert len(smtp_server.wait_for(2)) == 2
    events = SecurityEvent.objects.filter(user=citizen, kind="password_reset_requested")
    assert [e.details["sent"] for e in events.order_by("id")] == [True, True, False, False]
