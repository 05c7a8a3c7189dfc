"""A member's public home: contact, hours, map, elected officials, online services."""

import pytest

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def test_it_shows_the_mairie_of_bordeaux(client, demo_members):
    response = client.get("/bordeaux/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Bordeaux</h1>" in html
    assert "Place Pey-Berland" in html
    assert "Du lundi au vendredi : de 9 h à 17 h" in html
    assert 'href="tel:0556102030"' in html
    assert 'href="https://www.bordeaux.fr"' in html


def test_it_titles_the_page_with_the_collectivite(client, demo_members):
    response = client.get("/bordeaux/")
    assert "<title>Accueil — Bordeaux — Socle</title>" in response.content.decode()


def test_it_draws_an_accessible_map_with_a_text_alternative(client, demo_members):
    html = client.get("/bordeaux/").content.decode()
    assert '<svg class="carte"' in html
    assert 'role="img"' in html
    assert "<title>Carte de Bordeaux" in html
    assert "https://www.openstreetmap.org/?mlat=44.83" in html
    assert "Voir sur OpenStreetMap" in html


def test_it_lists_the_maire_first(client, demo_members):
    from socle.territoires.models import Elu

    maire = Elu.objects.get(commune=demo_members.bordeaux.collectivite, fonction="Maire")
    html = client.get("/bordeaux/").content.decode()
    elus = html.split('id="elus-titre"')[1]
    assert f"{maire.prenom} {maire.nom.upper()}, maire" in elus
    assert elus.index(", maire") < elus.index("adjoint")


def test_it_offers_only_the_modules_the_member_switched_on(client, demo_members):
    from socle.membres.services import membre_update

    bordeaux = demo_members.bordeaux
    assert "Jardins partagés" not in client.get("/bordeaux/").content.decode()
    membre_update(acting_user=None, membre=bordeaux, couleur=bordeaux.couleur, modules=["jardins"])
    html = client.get("/bordeaux/").content.decode()
    assert 'href="/bordeaux/jardins/"' in html
    assert "bientôt disponible" not in html


def test_it_lists_the_communes_of_an_epci(client, demo_members):
    response = client.get("/bordeaux-metropole/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "28 communes membres" in html
    assert 'href="/pessac/"' in html
    assert "Mérignac" in html
    assert_accessible(response)


def test_it_links_a_commune_to_its_member_epci(client, demo_members):
    html = client.get("/pessac/").content.decode()
    assert 'href="/bordeaux-metropole/"' in html


def test_it_answers_404_for_an_unknown_slug(client, demo_members):
    response = client.get("/atlantide/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_it_answers_404_for_an_inactive_member(client, demo_members):
    from socle.membres.services import membre_update

    pessac = demo_members.pessac
    membre_update(
        acting_user=None,
        membre=pessac,
        couleur=pessac.couleur,
        modules=pessac.modules,
        hostname=pessac.hostname,
        active=False,
    )
    assert client.get("/pessac/").status_code == 404
