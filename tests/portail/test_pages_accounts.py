"""Logging in and out, and my space."""

import pytest

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

GENERIC_ERROR = "Adresse électronique ou mot de passe incorrect."


def test_it_shows_the_login_form_in_french(client):
    response = client.get("/comptes/connexion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Adresse électronique' in html
    assert 'type="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "<title>Se connecter — Socle</title>" in html
    assert_accessible(response)


def test_it_logs_in_with_the_email_and_opens_my_space(client, demo_members, password):
    # An agent: administrators also need a second factor (tests/comptes/test_totp_*.py).
    response = client.post(
        "/comptes/connexion/",
        {"username": demo_members.agent_pessac.email, "password": password},
    )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/apres-connexion/"
    assert client.get(response["Location"])["Location"] == "/gestion/pessac/"
    page = client.get("/comptes/espace/")
    html = page.content.decode()
    assert "<strong>Agent</strong>" in html
    assert 'href="/gestion/pessac/"' in html
    assert_accessible(page)


def test_it_goes_back_where_the_visitor_was_going(client, demo_members, password):
    response = client.post(
        "/comptes/connexion/?next=/gestion/pessac/",
        {
            "username": demo_members.agent_pessac.email,
            "password": password,
            "next": "/gestion/pessac/",
        },
    )
    assert response["Location"] == "/gestion/pessac/"


def test_it_does_not_tell_whether_an_account_exists(client, citizen):
    wrong_password = client.post(
        "/comptes/connexion/", {"username": citizen.email, "password": "pas-le-bon"}
    )
    no_account = client.post(
        "/comptes/connexion/", {"username": "personne@example.fr", "password": "pas-le-bon"}
    )
    for response in (wrong_password, no_account):
        assert response.status_code == 200
        assert GENERIC_ERROR in response.content.decode()
        assert_accessible(response)
    citizen.is_active = False
    citizen.save()
    inactive = client.post(
        "/comptes/connexion/", {"username": citizen.email, "password": "pas-le-bon"}
    )
    assert GENERIC_ERROR in inactive.content.decode()


def test_it_logs_out_only_by_post(client, citizen):
    client.force_login(citizen)
    assert client.get("/comptes/deconnexion/").status_code == 405
    assert client.get("/comptes/espace/").status_code == 200
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/comptes/espace/").status_code == 302


def test_it_lists_the_back_offices_of_an_operateur(client, operateur, demo_members):
    client.force_login(operateur)
    html = client.get("/comptes/espace/").content.decode()
    assert "Opérateur" in html
    assert "toute la plateforme" in html
    assert 'href="/gestion/"' in html


def test_it_tells_a_citizen_without_role(client, citizen):
    client.force_login(citizen)
    response = client.get("/comptes/espace/")
    # Citizen wording only (tests/portail/test_it_shows_citizens_only_citizen_wording.py).
    assert "Mes rôles" not in response.content.decode()
    assert_accessible(response)
