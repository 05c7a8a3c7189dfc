"""/api/v1/openapi.json, assembled from every module's part, says what the code does: its enums
are the code's, each endpoint's error codes are documented, and it is valid OpenAPI 3.1."""

import pytest
from django.urls import reverse

from socle.api.openapi import documented_error_codes
from socle.api.scopes import api_scopes
from socle.routage import routing
from socle.routage.routing import results
from socle.territoires.competences import CATALOGUE
from tests.helpers.api import make_key, parcelles_url, with_jardins

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client):
    return client.get(reverse("api:openapi")).json()


def test_it_assembles_every_modules_part(document):
    assert {"/routage", "/competences", "/openapi.json", "/jardins/{slug}/parcelles"} <= set(
        document["paths"]
    )
    assert "Parcelle" in document["components"]["schemas"]
    operation = document["paths"]["/jardins/{slug}/parcelles"]["get"]
    assert {"ApiKey": ["jardins.lire"]} in operation["security"]


def test_its_enums_are_the_codes(document):
    schemas = document["components"]["schemas"]
    routage = document["paths"]["/routage"]["get"]
    competence = next(p for p in routage["parameters"] if p["name"] == "competence")
    assert competence["schema"]["examples"] == [row[0] for row in CATALOGUE]
    assert schemas["Holder"]["properties"]["reason"]["enum"] == [
        results.REASON_OVERRIDE,
        results.REASON_TRANSFER,
        results.REASON_LAW,
        results.REASON_DEFAULT,
    ]
    assert set(schemas["Routage"]["properties"]["service_reason"]["enum"]) == {
        value
        for name, value in vars(results).items()
        if name.startswith("SERVICE_") and isinstance(value, str)
    }
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"]["x-scopes"] == {
        code: str(label) for code, label in api_scopes().items()
    }
    used = {
        scope
        for item in document["paths"].values()
        for operation in item.values()
        for requirement in operation.get("security", [])
        for scopes in requirement.values()
        for scope in scopes
    }
    assert used <= set(api_scopes())
    documented = set().union(*documented_error_codes(document["paths"]).values())
    assert set(schemas["Error"]["properties"]["error"]["properties"]["code"]["enum"]) == documented


def _documented(document, path, status):
    return documented_error_codes(document["paths"])[(path, "get", str(status))]


def test_each_endpoint_returns_only_documented_error_codes(client, document, demo_members):
    routing.reset_router()
    seen = []
    for params in (
        {"lat": "abc", "lon": "1", "competence": "voirie"},
        {"lat": "44.8"},
        {"lat": "44.8", "lon": "-0.57", "competence": "inconnue"},
        {"lat": "48.85", "lon": "2.35", "competence": "voirie"},
        {"lat": "0", "lon": "0", "competence": "voirie"},
    ):
        seen.append(("/routage", client.get(reverse("api:routage"), params)))
    seen.append(("/routage", client.post(reverse("api:routage"))))
    seen.append(("/competences", client.post(reverse("api:competences"))))
    seen.append(("/openapi.json", client.delete(reverse("api:openapi"))))

    pessac = with_jardins(demo_members.pessac)
    bordeaux = with_jardins(demo_members.bordeaux)
    key, plaintext = make_key(pessac, rate=2)
    jardins = "/jardins/{slug}/parcelles"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    seen.append((jardins, client.get(parcelles_url(pessac))))
    seen.append((jardins, client.get(parcelles_url(pessac), HTTP_AUTHORIZATION="Bearer x")))
    seen.append((jardins, client.get(parcelles_url(bordeaux), **bearer)))
    seen.append((jardins, client.get("/api/v1/jardins/inconnu/parcelles", **bearer)))
    seen.append((jardins, client.get(parcelles_url(pessac), **bearer)))
    seen.append((jardins, client.post(parcelles_url(pessac), **bearer)))
    _, platform_key = make_key(None)
    seen.append(
        (jardins, client.get("/api/v1/jardins/inconnu/parcelles", HTTP_X_API_KEY=platform_key))
    )

    statuses = set()
    for path, response in seen:
        assert response.status_code >= 400, (path, response.status_code)
        code = response.json()["error"]["code"]
        assert code in _documented(document, path, response.status_code), (path, code)
        statuses.add((path, response.status_code, code))
    assert {status for _, status, _ in statuses} == {400, 401, 403, 404, 405, 429}


def test_it_is_valid_openapi_3_1(document):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)
