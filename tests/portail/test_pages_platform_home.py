"""The platform's home: what Socle is, its members, and finding one's commune."""

import pytest

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def test_it_lists_the_members(client, demo_members):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Qu’est-ce que Socle ?" in html
    for slug, nom in [
        ("bordeaux", "Bordeaux"),
        ("bordeaux-metropole", "Bordeaux Métropole"),
        ("pessac", "Pessac"),
    ]:
        assert f'<a href="/{slug}/">{nom}</a>' in html
    assert "<title>Accueil — Socle</title>" in html
    assert_accessible(response)


def test_it_hides_an_inactive_member(client, demo_members):
    from socle.membres.services import membre_update

    pessac = demo_members.pessac
    membre_update(
        acting_user=None,
        membre=pessac,
        couleur=pessac.couleur,
        modules=[],
        hostname=None,
        active=False,
    )
    assert 'href="/pessac/"' not in client.get("/").content.decode()


def test_it_finds_a_member_commune(client, demo_members):
    response = client.get("/", {"q": "Pessac"})
    html = response.content.decode()
    assert "résultat" in html
    assert '<a href="/pessac/">Pessac</a>' in html
    assert_accessible(response)


def test_it_gives_the_mairie_contact_of_a_commune_not_yet_member(client, demo_members):
    response = client.get("/", {"q": "33281"})
    html = response.content.decode()
    assert "Mérignac" in html
    assert "n’utilise pas encore la plateforme" in html
    assert "60 avenue du Maréchal-de-Lattre-de-Tassigny" in html
    assert 'href="tel:0556556600"' in html
    assert 'href="mailto:contact@merignac.com"' in html
    assert_accessible(response)


def test_it_says_when_nothing_matches(client, demo_members):
    response = client.get("/", {"q": "Atlantide"})
    assert "Aucune collectivité ne correspond" in response.content.decode()


def test_it_refuses_to_post_to_a_page(client, demo_members):
    assert client.post("/").status_code == 405
    assert client.post("/bordeaux/").status_code == 405
