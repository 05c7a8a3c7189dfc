"""The open data API is in the OpenAPI document: its paths, parameters and the error codes it
returns, and the whole document stays valid OpenAPI 3.1."""

import pytest
from django.urls import reverse

from socle.api.openapi import documented_error_codes
from tests.opendata.serve_data import (  # noqa: F401 - fixture
    opendata_media,
    subventions,
    with_opendata,
)

pytestmark = pytest.mark.django_db
LIGNES = "/donnees/{slug}/{jeu}/lignes"
CATALOGUE = "/donnees/catalogue"


@pytest.fixture
def document(client):
    return client.get(reverse("api:openapi")).json()


def test_it_documents_both_endpoints_and_their_parameters(document):
    assert {LIGNES, CATALOGUE} <= set(document["paths"])
    names = {p["name"] for p in document["paths"][LIGNES]["get"]["parameters"]}
    assert {"slug", "jeu", "page", "page_size", "version", "tri", "filtres"} <= names
    page_size = next(
        p for p in document["paths"][LIGNES]["get"]["parameters"] if p["name"] == "page_size"
    )
    assert page_size["schema"]["maximum"] == 1000 and page_size["schema"]["default"] == 50
    assert {"DonneesLignes", "DonneesJeu"} <= set(document["components"]["schemas"])


def test_every_error_it_returns_is_documented(client, document, demo_members, admin_pessac):
    pessac = with_opendata(demo_members.pessac)
    subventions(pessac, admin_pessac)
    lignes = "/api/v1/donnees/pessac/subventions-versees/lignes"
    seen = [
        (LIGNES, client.get(lignes, {"page_size": "0"})),
        (LIGNES, client.get(lignes, {"inconnue": "1"})),
        (LIGNES, client.get(lignes, {"version": "4"})),
        (LIGNES, client.get("/api/v1/donnees/pessac/inconnu/lignes")),
        (LIGNES, client.post(lignes)),
        (CATALOGUE, client.get("/api/v1/donnees/catalogue", {"x": "1"})),
        (CATALOGUE, client.get("/api/v1/donnees/catalogue", {"membre": "inconnue"})),
        (CATALOGUE, client.delete("/api/v1/donnees/catalogue")),
    ]
    documented = documented_error_codes(document["paths"])
    for path, response in seen:
        code = response.json()["error"]["code"]
        assert code in documented[(path, "get", str(response.status_code))], (path, code)


def test_the_whole_document_is_valid_openapi_3_1(document):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)
