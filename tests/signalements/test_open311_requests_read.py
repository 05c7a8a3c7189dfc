"""GET requests and requests/{id}: public reports with every field of the specification, the
same in JSON and XML, W3C dates with their offset, the stripped photo's address."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from socle.signalements.services import photos_process, signalement_reply, signalement_status_set
from tests.helpers.open311 import both, errors, get, jpeg, report
from tests.signalements.conftest import PESSAC

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def test_it_gives_a_public_request_with_every_field(
    client, demo_members, citizen, agent_voirie_sud, settings
):
    photo = photos_process([SimpleUploadedFile("trou.jpg", jpeg(), "image/jpeg")])
    filed = report(PESSAC, auteur=citizen, photos=photo, adresse="1 Avenue Jean Jaurès, Pessac")
    signalement_reply(acting_user=agent_voirie_sud, signalement=filed, texte="Équipe prévenue.")

    [request], root = both(client, f"requests/{filed.reference}")
    assert root == "service_requests"
    assert list(request) == FIELDS
    assert request["service_request_id"] == filed.reference
    assert request["status"] == "open"
    assert request["status_notes"] == "Équipe prévenue."
    assert request["service_code"] == "nid-de-poule"
    assert request["service_name"] == "Nid-de-poule, chaussée abîmée"
    assert request["description"] == "Un trou profond sur la chaussée."
    assert request["agency_responsible"] == "Bordeaux Métropole — Pôle territorial Sud — voirie"
    assert request["address"] == "1 Avenue Jean Jaurès, Pessac"
    assert W3C.match(request["requested_datetime"]) and W3C.match(request["updated_datetime"])
    assert request["expected_datetime"] is None
    assert (request["lat"], request["long"]) == PESSAC
    photo_pk = filed.photos.get().pk
    assert request["media_url"] == (f"{settings.SITE_URL}/signalements/photos/{photo_pk}/image.jpg")


def test_it_lists_requests_newest_first_with_their_status(
    client, demo_members, citizen, agent_voirie_sud
):
    first = report(PESSAC, auteur=citizen, description="Premier trou.")
    second = report(PESSAC, auteur=citizen, code="eclairage", description="Lampadaire éteint.")
    signalement_status_set(
        acting_user=agent_voirie_sud, signalement=first, statut="resolu", texte="Rebouché."
    )
    requests, _root = both(client, "requests")
    assert [r["service_request_id"] for r in requests] == [second.reference, first.reference]
    assert [r["status"] for r in requests] == ["open", "closed"]
    assert requests[1]["status_notes"] == "Rebouché."
    assert requests[0]["media_url"] is None
    assert requests[0]["agency_responsible"].startswith("Pessac")


def test_it_answers_404_for_an_unknown_request(client, db):
    for fmt in ("json", "xml"):
        response, _data = get(client, "requests/ABCDEFGH", fmt)
        assert response.status_code == 404
        [error] = errors(response)
        assert error["code"] == 404


def test_it_reads_a_request_only_in_its_jurisdiction(client, demo_members, citizen):
    filed = report(PESSAC, auteur=citizen)
    response, _data = get(client, f"requests/{filed.reference}", "json", jurisdiction_id="33318")
    assert response.status_code == 404
    response, data = get(client, f"requests/{filed.reference}", "json", jurisdiction_id="243300316")
    assert response.status_code == 200 and data[0]["service_request_id"] == filed.reference


def test_it_reads_every_request_in_a_constant_number_of_queries(
    client, demo_members, citizen, django_assert_max_num_queries
):
    for _n in range(3):
        report(PESSAC, auteur=citizen, photos=photos_process([io.BytesIO(jpeg())]))
    # The latest change (the cache key), the page of requests.
    with django_assert_max_num_queries(3) as few:
        client.get("/open311/v2/requests.json")
    for _n in range(5):
        report(PESSAC, auteur=citizen, photos=photos_process([io.BytesIO(jpeg())]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/open311/v2/requests.json")
    assert len(response.json()) == 8
