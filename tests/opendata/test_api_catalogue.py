"""GET /api/v1/donnees/catalogue: every published dataset (the members' that publish open data
and the structure's), with its addresses; filters by member and by schema."""

import pytest

from socle.opendata.services import jeu_create
from tests.opendata.serve_data import (  # noqa: F401 - fixture
    lieux,
    opendata_media,
    subventions,
    with_opendata,
    without_opendata,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/donnees/catalogue"


@pytest.fixture
def published(demo_members, admin_pessac):
    pessac = with_opendata(demo_members.pessac)
    subventions(pessac, admin_pessac)
    jeu_create(acting_user=admin_pessac, membre=pessac, titre="Pas encore publié")
    lieux(None, None)
    # Bordeaux has switched the module off.
    subventions(without_opendata(demo_members.bordeaux), None, titre="Subventions de Bordeaux")


def test_it_lists_the_published_datasets_with_their_addresses(client, published, settings):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_title = {entry["titre"]: entry for entry in body["results"]}
    assert set(by_title) == {"Subventions versées", "Lieux publics"}
    entry = by_title["Subventions versées"]
    assert entry["membre"] == "pessac" and entry["collectivite"] == "Pessac"
    assert entry["schema"]["nom"] == "scdl/subventions" and entry["schema"]["version"] == "2.1.1"
    assert entry["version"] == 1 and entry["nb_lignes"] == 29
    assert entry["lignes"] == (
        settings.SITE_URL + "/api/v1/donnees/pessac/subventions-versees/lignes"
    )
    assert set(entry["telechargements"]) == {"csv", "json"}
    structure = by_title["Lieux publics"]
    assert structure["membre"] is None and structure["licence"] == "odbl"
    assert set(structure["telechargements"]) == {"csv", "json", "geojson"}
    assert structure["lignes"].endswith("/api/v1/donnees/structure/lieux-publics/lignes")


def test_it_filters_by_member_and_by_schema(client, published):
    titles = lambda params: [e["titre"] for e in client.get(URL, params).json()["results"]]  # noqa: E731
    assert titles({"membre": "pessac"}) == ["Subventions versées"]
    assert titles({"membre": "structure"}) == ["Lieux publics"]
    assert titles({"schema": "scdl/subventions"}) == ["Subventions versées"]
    assert titles({"schema": "scdl/budget"}) == []


def test_it_refuses_unknown_members_and_parameters(client, published):
    for slug in ("bordeaux", "inconnue"):
        response = client.get(URL, {"membre": slug})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "membre_inconnu"
    response = client.get(URL, {"page": "2"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parametre_invalide"
