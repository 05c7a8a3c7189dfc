"""A citizen who came through FranceConnect: a verified address, a password to define (not to
change), and a sign-in history that says which way each login was made."""

import re
import time

import pytest
from django.test import Client

from socle.comptes import totp
from socle.comptes.models import SecurityEvent, User
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import enrol_totp
from tests.helpers.oidc import logged_in_user, login_through

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une-phrase-de-passe-2026!"


def test_it_trusts_the_address_franceconnect_verified(client, fake_fc):
    login_through(client, "angela")
    user = logged_in_user(client)
    assert user.email_verified_at is not None
    html = client.get("/comptes/espace/").content.decode()
    assert "n’est pas encore vérifiée" not in html
    assert "ouvrez le lien" not in html


def test_it_offers_to_define_a_password_without_asking_for_a_current_one(client, fake_fc):
    login_through(client, "angela")
    espace = client.get("/comptes/espace/").content.decode()
    assert 'href="/comptes/mot-de-passe/definir/"' in espace
    assert "Changer mon mot de passe" not in espace
    # The change form, which asks for the current password, sends here instead.
    assert client.get("/comptes/mot-de-passe/changer/")["Location"] == (
        "/comptes/mot-de-passe/definir/"
    )
    page = client.get("/comptes/mot-de-passe/definir/")
    html = page.content.decode()
    assert "Définir un mot de passe" in html
    assert "Mot de passe actuel" not in html
    assert_accessible(page)

    # Both fields checked in one round.
    bad = client.post(
        "/comptes/mot-de-passe/definir/", {"new_password1": "court", "new_password2": "autre"}
    )
    assert bad.status_code == 400
    assert "Erreur :" in bad.content.decode()

    response = client.post(
        "/comptes/mot-de-passe/definir/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="angela.dubois@example.fr")
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user(client).pk == user.pk  # this session goes on
    # Now it logs in with the password too, and the link changes.
    other = Client()
    assert (
        other.post(
            "/comptes/connexion/", {"username": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    espace = client.get("/comptes/espace/").content.decode()
    assert "Changer mon mot de passe" in espace
    assert client.get("/comptes/mot-de-passe/definir/")["Location"] == (
        "/comptes/mot-de-passe/changer/"
    )


def test_it_says_which_way_each_login_was_made(client, fake_fc):
    login_through(client, "angela")
    client.post(
        "/comptes/mot-de-passe/definir/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.post("/comptes/deconnexion/")
    client.post(
        "/comptes/connexion/", {"username": "angela.dubois@example.fr", "password": NEW_PASSWORD}
    )
    html = client.get("/comptes/espace/").content.decode()
    events = re.findall(r'<td data-label="Événement">(.*?)</td>', html)
    assert events[0] == "Connexion avec mot de passe"
    assert "Connexion avec FranceConnect" in events


def test_it_names_the_provider_after_the_second_factor_step_too(client, fake_fc):
    login_through(client, "angela")
    user = logged_in_user(client)
    secret = enrol_totp(user)
    client.post("/comptes/deconnexion/")

    response = login_through(client, "angela")
    assert response["Location"] == "/comptes/second-facteur/"
    client.post("/comptes/second-facteur/", {"code": totp.code_at(secret, time.time())})

    assert logged_in_user(client).pk == user.pk
    last = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN, user=user).first()
    assert last.details == {"method": "franceconnect", "second_factor": True}


def test_it_asks_for_a_fresh_login_before_defining_a_password(client, fake_fc):
    from socle.comptes.security import LOGGED_IN_AT

    login_through(client, "angela")
    session = client.session
    session[LOGGED_IN_AT] = int(time.time()) - 3600
    session.save()
    response = client.post(
        "/comptes/mot-de-passe/definir/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # A session left open an hour: back to the login, and no password was given.
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
    assert not logged_in_user(client).has_usable_password()
