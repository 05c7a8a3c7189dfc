"""POST requests with a valid key: created at once from lat/long or a geocoded address_string,
with the category's attributes, the reporter's contact kept private, and a multipart photo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socle.signalements.models import Question, Signalement
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture
from tests.helpers.open311 import V2, api_key, jpeg, parse
from tests.signalements.conftest import PESSAC


def _post(client, fmt="json", **data):
    response = client.post(f"{V2}requests.{fmt}", data)
    assert response.status_code == 200, response.content
    return response


def test_it_creates_a_report_and_answers_its_id(client, demo_members, smtp_server):
    response = _post(
        client,
        api_key=api_key(),
        service_code="nid-de-poule",
        lat=str(PESSAC[0]),
        long=str(PESSAC[1]),
        description="Trou devant l’école.",
        email="Jeanne@Example.fr",
        first_name="Jeanne",
        last_name="Martin",
        phone="0612345678",
        media_url="http://192.0.2.1/never-fetched.jpg",
    )
    [answer] = parse(response)
    report = Signalement.objects.get(reference=answer["service_request_id"])
    assert answer["service_notice"] == (
        "Votre signalement est transmis à Bordeaux Métropole — Pôle territorial Sud — voirie."
    )
    assert report.source == Signalement.Source.OPEN311 and report.cle_api is not None
    assert report.public and report.membre == demo_members.metropole
    assert (report.auteur_email, report.auteur_nom, report.auteur_telephone) == (
        "jeanne@example.fr",
        "Jeanne Martin",
        "0612345678",
    )
    assert report.description == "Trou devant l’école."


def test_it_answers_in_xml_too(client, demo_members):
    response = _post(
        client,
        "xml",
        api_key=api_key(),
        service_code="eclairage",
        lat=str(PESSAC[0]),
        long=str(PESSAC[1]),
        description="Lampadaire éteint.",
    )
    root, [answer] = parse(response)
    assert root == "service_requests"
    assert Signalement.objects.get(reference=answer["service_request_id"]).commune_nom == "Pessac"
    assert answer["service_notice"].startswith("Votre signalement est transmis à Pessac")


@pytest.mark.usefixtures("fake_adresse")
def test_it_places_an_address_string_through_the_address_api(client, demo_members):
    response = _post(
        client,
        api_key=api_key(),
        service_code="nid-de-poule",
        address_string="25 avenue Jean Jaurès Pessac",
        description="Trou.",
    )
    report = Signalement.objects.get(reference=parse(response)[0]["service_request_id"])
    assert (report.lat, report.lon) == (44.8082, -0.6262)
    assert report.adresse == "25 Avenue Jean Jaurès 33600 Pessac"
    assert report.commune_nom == "Pessac"


def test_it_keeps_the_answers_to_the_members_questions(client, demo_members):
    from socle.signalements.models import Categorie

    Question.objects.create(
        membre=demo_members.metropole,
        categorie=Categorie.objects.get(code="nid-de-poule", membre=None),
        code="profondeur",
        libelle="Profondeur (cm)",
        kind=Question.Kind.NOMBRE,
        obligatoire=True,
    )
    response = _post(
        client,
        api_key=api_key(),
        jurisdiction_id="243300316",
        service_code="nid-de-poule",
        lat=str(PESSAC[0]),
        long=str(PESSAC[1]),
        description="Trou.",
        **{"attribute[profondeur]": "12,5"},
    )
    report = Signalement.objects.get(reference=parse(response)[0]["service_request_id"])
    assert report.reponses == {"profondeur": 12.5}


def test_it_takes_a_photo_in_the_media_field(client, demo_members, settings):
    response = _post(
        client,
        api_key=api_key(),
        service_code="nid-de-poule",
        lat=str(PESSAC[0]),
        long=str(PESSAC[1]),
        description="Trou, en photo.",
        media=SimpleUploadedFile("trou.jpg", jpeg(800, 600), "image/jpeg"),
    )
    reference = parse(response)[0]["service_request_id"]
    photo = Signalement.objects.get(reference=reference).photos.get()
    read = client.get(f"{V2}requests/{reference}.json").json()[0]
    assert read["media_url"] == f"{settings.SITE_URL}/signalements/photos/{photo.pk}/image.jpg"


def test_it_lets_a_members_key_post_where_that_member_acts(client, demo_members):
    response = _post(
        client,
        api_key=api_key(membre=demo_members.metropole),
        service_code="nid-de-poule",
        lat=str(PESSAC[0]),
        long=str(PESSAC[1]),
        description="Trou.",
    )
    report = Signalement.objects.get(reference=parse(response)[0]["service_request_id"])
    assert report.membre == demo_members.metropole
