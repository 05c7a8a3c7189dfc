"""The open data portal: a member's page, the structure's page with its filters, and a
dataset's page (preview, versions), each only where it should be."""

import pytest
from django.urls import reverse

from socle.opendata.services import jeu_create
from tests.opendata.serve_data import (  # noqa: F401 - fixture
    lieux,
    opendata_media,
    publish,
    subventions,
    subventions_head,
    with_opendata,
    without_opendata,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pessac(demo_members):
    return with_opendata(demo_members.pessac)


def test_it_lists_a_members_datasets_with_licence_schema_date_frequency_and_files(
    client, pessac, admin_pessac
):
    jeu = subventions(pessac, admin_pessac)
    response = client.get(reverse("opendata:accueil", args=["pessac"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Subventions versées" in page
    assert "Les subventions versées aux associations." in page
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in page
    assert "Licence Ouverte 2.0" in page
    assert "Schéma scdl/subventions 2.1.1" in page
    assert "Annuelle" in page
    assert jeu.modifie_le.strftime("%Y") in page
    assert "/pessac/donnees/subventions-versees.csv" in page
    assert "/pessac/donnees/subventions-versees.json" in page
    # Not geographic: no GeoJSON offered.
    assert ".geojson" not in page
    assert "/pessac/donnees/catalogue.jsonld" in page


def test_it_offers_geojson_and_the_odbl_for_geographic_data(client, pessac, admin_pessac):
    lieux(pessac, admin_pessac)
    page = client.get(reverse("opendata:accueil", args=["pessac"])).content.decode()
    assert "/pessac/donnees/lieux-publics.geojson" in page
    assert "https://opendatacommons.org/licenses/odbl/1-0/" in page
    assert "Sans schéma national" in page


def test_it_answers_404_for_a_member_without_the_module(client, demo_members, admin_pessac):
    without_opendata(demo_members.pessac)
    assert client.get("/pessac/donnees/").status_code == 404
    assert client.get("/inconnue/donnees/").status_code == 404


def test_it_hides_a_dataset_that_has_no_version(client, pessac, admin_pessac):
    jeu_create(acting_user=admin_pessac, membre=pessac, titre="Budget à venir")
    page = client.get("/pessac/donnees/").content.decode()
    assert "Budget à venir" not in page
    assert client.get("/pessac/donnees/budget-a-venir/").status_code == 404


def test_it_does_not_serve_pessacs_dataset_under_bordeaux(client, pessac, demo_members):
    subventions(pessac, demo_members.admin_pessac)
    with_opendata(demo_members.bordeaux)
    assert client.get("/pessac/donnees/subventions-versees/").status_code == 200
    assert client.get("/bordeaux/donnees/subventions-versees/").status_code == 404
    assert "Subventions versées" not in client.get("/bordeaux/donnees/").content.decode()
    assert client.get("/donnees/structure/subventions-versees/").status_code == 404


def test_it_lists_every_members_datasets_and_the_structures_own_with_filters(
    client, pessac, admin_pessac, demo_members
):
    subventions(pessac, admin_pessac)
    lieux(None, None)
    # Bordeaux has switched the module off: its dataset is not listed.
    bordeaux = without_opendata(demo_members.bordeaux)
    subventions(bordeaux, None, titre="Subventions de Bordeaux")
    url = reverse("opendata-site:accueil")
    page = client.get(url).content.decode()
    assert "Subventions versées" in page and "Lieux publics" in page
    assert "Subventions de Bordeaux" not in page
    assert "/donnees/structure/lieux-publics/" in page

    only_pessac = client.get(url, {"membre": "pessac"}).content.decode()
    assert "Subventions versées" in only_pessac and "Lieux publics" not in only_pessac
    only_structure = client.get(url, {"membre": "structure"}).content.decode()
    assert "Lieux publics" in only_structure and "Subventions versées" not in only_structure
    by_schema = client.get(url, {"schema": "scdl/subventions"}).content.decode()
    assert "Subventions versées" in by_schema and "Lieux publics" not in by_schema
    unknown = client.get(url, {"membre": "bordeaux"})
    assert unknown.status_code == 200
    assert "Aucun jeu de données ne correspond." in unknown.content.decode()


def test_it_shows_a_preview_of_twenty_rows_and_every_version(client, pessac, admin_pessac):
    jeu = subventions(pessac, admin_pessac)
    response = client.get(reverse("opendata:jeu", args=["pessac", jeu.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Les 20 premières lignes sur 29" in page
    assert page.count("<tr>") == 1 + 20 + 1 + 1  # preview head and rows; versions head, one row
    assert "ANTIBES RALLYE ASSOCIATION" in page  # the second row of the example
    assert "/pessac/donnees/subventions-versees/versions/1.csv" in page
    assert 'class="od-apercu"' in page

    publish(jeu, admin_pessac, subventions_head(1))
    page = client.get(reverse("opendata:jeu", args=["pessac", jeu.slug])).content.decode()
    assert "La première ligne sur 1" in page
    assert "/pessac/donnees/subventions-versees/versions/1.csv" in page
    assert "/pessac/donnees/subventions-versees/versions/2.csv" in page


def test_it_draws_a_map_only_for_geographic_data(client, pessac, admin_pessac):
    lieu = lieux(pessac, admin_pessac)
    page = client.get(reverse("opendata:jeu", args=["pessac", lieu.slug])).content.decode()
    assert "data-od-points" in page and "leaflet.js" in page
    assert '"lat": 44.806' in page and '"lon": -0.631' in page
    assert "2 points sur la carte." in page
    jeu = subventions(pessac, admin_pessac)
    page = client.get(reverse("opendata:jeu", args=["pessac", jeu.slug])).content.decode()
    assert "data-od-points" not in page and "leaflet.js" not in page


def test_it_serves_the_structures_own_dataset_page(client, demo_members):
    jeu = lieux(None, None)
    response = client.get(reverse("opendata-site:jeu", args=[jeu.slug]))
    assert response.status_code == 200
    assert "/donnees/structure/lieux-publics/versions/1.geojson" in response.content.decode()
