"""The non-map way, for the keyboard and screen readers: a commune and a street, no point. The
first submit shows the categories there, the report reaches the same service as a map point,
marked for the agent to check the position."""

from socle.signalements.models import Signalement
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture
from tests.signalements.citizen_helpers import report_data


def test_it_reaches_the_same_service_from_a_commune_and_a_street(
    client,
    demo_members,
    citizen,
    fake_adresse,  # noqa: F811
):
    client.force_login(citizen)

    step = client.post(
        "/signaler/", {"etape": "lieu", "commune": "Pessac", "lieu": "avenue Jean Jaurès"}
    )

    assert step.status_code == 200
    assert 'value="nid-de-poule"' in step.text
    assert "Position approchée" in step.text

    response = client.post(
        "/signaler/",
        {
            "etape": "envoyer",
            "commune": "Pessac",
            "lieu": "avenue Jean Jaurès",
            "categorie": "nid-de-poule",
            "description": "Un trou profond.",
        },
    )

    assert response.status_code == 200, response.text
    assert "Bordeaux Métropole — Pôle territorial Sud — voirie" in response.text
    report = Signalement.objects.get()
    assert report.position_approchee
    assert report.commune_nom == "Pessac"
    assert "avenue Jean Jaurès" in report.adresse

    by_map = client.post("/signaler/", report_data())
    assert by_map.status_code == 200
    on_map = Signalement.objects.exclude(pk=report.pk).get()
    assert not on_map.position_approchee
    assert (on_map.membre, on_map.service) == (report.membre, report.service)


def test_it_places_the_point_at_the_commune_when_the_address_api_is_down(
    client, demo_members, citizen, settings
):
    settings.ADDRESS_API_URL = "http://127.0.0.1:9"
    client.force_login(citizen)

    response = client.post(
        "/signaler/",
        {
            "etape": "envoyer",
            "commune": "Pessac",
            "lieu": "parc Razon",
            "categorie": "nid-de-poule",
            "description": "Un trou.",
        },
    )

    assert response.status_code == 200, response.text
    report = Signalement.objects.get()
    assert report.position_approchee and report.commune_nom == "Pessac"
    assert report.service.nom == "Pôle territorial Sud — voirie"


def test_it_says_which_commune_it_does_not_know(client, demo_members, citizen):
    client.force_login(citizen)
    response = client.post("/signaler/", {"etape": "lieu", "commune": "Atlantide"})
    assert response.status_code == 400
    assert "Aucune commune ne correspond à « Atlantide »" in response.text
