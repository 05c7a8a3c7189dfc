"""GET /api/v1/routage answers who handles a competence at a point, in JSON, to any origin."""

import pytest
from django.urls import reverse

from socle.membres.services import membre_onboard, service_create
from socle.territoires.models import Collectivite, Competence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]


def get(client, **params):
    return client.get(reverse("api:routage"), params)


def test_it_answers_with_commune_holder_and_contact(client, gironde):
    response = get(client, lat="44.8945", lon="-0.1557", competence="eclairage-public")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["status"] == "ok"
    assert data["query"] == {"lat": 44.8945, "lon": -0.1557, "competence": "eclairage-public"}
    assert data["commune"] == {"code": "33394", "nom": "Saint-Émilion"}
    assert data["competence"] == {"code": "eclairage-public", "nom": "Éclairage public"}
    assert data["holder"]["collectivite"] == {
        "kind": "commune",
        "code": "33394",
        "nom": "Saint-Émilion",
        "member": False,
    }
    assert data["holder"]["reason"] == "defaut"
    assert data["service"] is None
    assert data["contact"]["telephone"] == "05 57 24 72 09"
    assert data["contact"]["point_entree"] is False
    assert data["contact"]["horaires"]


def test_it_names_the_members_service_and_sees_changes_at_once(client, gironde):
    epci = Collectivite.objects.get(kind="epci", nom="Bordeaux Métropole")
    params = {"lat": "44.8067", "lon": "-0.6311", "competence": "voirie"}
    assert get(client, **params).json()["holder"]["collectivite"]["member"] is False

    membre = membre_onboard(
        collectivite=epci, slug="bordeaux-metropole", admin_email=None, acting_user=None
    )
    service = service_create(
        acting_user=None,
        membre=membre,
        nom="Voirie",
        competences=[Competence.objects.get(code="voirie")],
    )
    data = get(client, **params).json()
    assert data["holder"]["collectivite"]["member"] is True
    assert data["holder"]["collectivite"]["slug"] == "bordeaux-metropole"
    assert data["holder"]["reason"] == "loi"
    assert data["service"]["id"] == service.pk
    assert data["contact"] is None


def test_it_lists_the_competence_catalogue(client, db):
    response = client.get(reverse("api:competences"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    competences = {row["code"]: row for row in response.json()["competences"]}
    assert competences["voirie"]["niveau_par_defaut"] == "commune"
    assert "METRO" in competences["voirie"]["types_epci"]
    assert competences["lycees"]["niveau_par_defaut"] == "region"


def test_it_documents_the_api_for_people(client, db):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "API publique de routage" in page
    assert reverse("api:routage") + "?lat=44.8378&amp;lon=-0.5792&amp;competence=voirie" in page
    assert "competence_inconnue" in page
    assert reverse("api:openapi") in page


def test_it_answers_a_cors_preflight(client, db):
    response = client.options(reverse("api:routage"))
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
