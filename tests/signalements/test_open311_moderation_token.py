"""Where a member reviews reports first, POST answers a token; tokens/{token} gives the request's
id once the report is published."""

import pytest

from socle.signalements.models import Reglages, Signalement
from socle.signalements.services import signalement_publish
from tests.helpers.open311 import V2, api_key, both, errors, get, parse
from tests.signalements.conftest import BORDEAUX


@pytest.fixture
def bordeaux_reviews(demo_members):
    Reglages.objects.create(membre=demo_members.bordeaux, moderation_prealable=True)
    return demo_members.bordeaux


def test_it_answers_a_token_then_the_id_once_published(client, bordeaux_reviews, operateur):
    response = client.post(
        f"{V2}requests.json",
        {
            "api_key": api_key(),
            "service_code": "eclairage",
            "lat": str(BORDEAUX[0]),
            "long": str(BORDEAUX[1]),
            "description": "Lampadaire éteint.",
        },
    )
    assert response.status_code == 200
    [answer] = parse(response)
    assert "service_request_id" not in answer
    token = answer["token"]
    assert "après relecture" in answer["service_notice"]
    report = Signalement.objects.get()
    assert report.publie_le is None

    [pending], root = both(client, f"tokens/{token}")
    assert root == "service_requests"
    assert pending == {"service_request_id": None, "token": token}
    assert get(client, f"requests/{report.reference}")[0].status_code == 404

    signalement_publish(acting_user=operateur, signalement=report)
    [published], _root = both(client, f"tokens/{token}")
    assert published == {"service_request_id": report.reference, "token": token}


def test_it_answers_in_xml_with_a_token(client, bordeaux_reviews):
    response = client.post(
        f"{V2}requests.xml",
        {
            "api_key": api_key(),
            "service_code": "eclairage",
            "lat": str(BORDEAUX[0]),
            "long": str(BORDEAUX[1]),
            "description": "Lampadaire éteint.",
        },
    )
    root, [answer] = parse(response)
    assert root == "service_requests" and answer["token"]


def test_it_answers_404_for_a_forged_token(client, db):
    for fmt in ("json", "xml"):
        response, _data = get(client, "tokens/ABCDEFGH:forged", fmt)
        assert response.status_code == 404
        assert errors(response)[0]["code"] == 404
