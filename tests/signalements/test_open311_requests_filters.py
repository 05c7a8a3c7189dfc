"""GET requests: every filter of the specification, the 90-day window, page and page_size, and
a 400 in the specification's shape for a malformed value."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.signalements.models import Signalement
from socle.signalements.services import signalement_status_set
from tests.helpers.open311 import errors, get, report
from tests.signalements.conftest import BORDEAUX, PESSAC


def _ids(client, **params):
    response, data = get(client, "requests", "json", **params)
    assert response.status_code == 200, data
    return [item["service_request_id"] for item in data]


@pytest.fixture
def reports(demo_members, citizen, agent_voirie_sud):
    pothole = report(PESSAC, auteur=citizen)
    light = report(PESSAC, code="eclairage", auteur=citizen, description="Lampadaire éteint.")
    closed = report(PESSAC, auteur=citizen, description="Autre trou.")
    signalement_status_set(
        acting_user=agent_voirie_sud, signalement=closed, statut="resolu", texte="Fait."
    )
    old = report(BORDEAUX, auteur=citizen, description="Ancien trou.")
    Signalement.objects.filter(pk=old.pk).update(cree_le=timezone.now() - timedelta(days=120))
    return pothole, light, closed, old


def test_it_filters_by_ids_codes_and_status(client, reports):
    pothole, light, closed, old = reports
    assert _ids(client, service_request_id=f"{pothole.reference},{old.reference}") == [
        pothole.reference,
        old.reference,  # ids override the date window
    ]
    assert _ids(client, service_code="eclairage") == [light.reference]
    assert set(_ids(client, service_code="eclairage,nid-de-poule")) == {
        pothole.reference,
        light.reference,
        closed.reference,
    }
    assert _ids(client, status="closed") == [closed.reference]
    assert set(_ids(client, status="open")) == {pothole.reference, light.reference}
    assert len(_ids(client, status="open,closed")) == 3


def test_it_keeps_the_last_90_days_unless_dates_say_otherwise(client, reports):
    pothole, light, closed, old = reports
    assert old.reference not in _ids(client)
    start = (timezone.now() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert _ids(client, start_date=start, end_date=end) == [old.reference]
    assert _ids(client, start_date=start) == [old.reference]
    assert _ids(client, end_date=end) == [old.reference]
    today = timezone.localdate().isoformat()
    assert len(_ids(client, start_date=today)) == 3


def test_it_refuses_malformed_dates_statuses_and_pages(client, reports):
    for params in (
        {"start_date": "hier"},
        {"end_date": "2026-13-45T00:00:00Z"},
        {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"status": "fixed"},
        {"page": "0"},
        {"page_size": "5000"},
        {"page_size": "dix"},
    ):
        for fmt in ("json", "xml"):
            response, _data = get(client, "requests", fmt, **params)
            assert response.status_code == 400, params
            [error] = errors(response)
            assert error["code"] == 400 and error["description"]


def test_it_pages_the_results(client, reports):
    everything = _ids(client)
    assert len(everything) == 3
    assert _ids(client, page_size="2") == everything[:2]
    assert _ids(client, page_size="2", page="2") == everything[2:]
    assert _ids(client, page_size="2", page="3") == []


def test_it_narrows_to_a_jurisdiction(client, reports, citizen):
    pothole, light, closed, old = reports
    assert set(_ids(client, jurisdiction_id="243300316")) == {pothole.reference, closed.reference}
    assert _ids(client, jurisdiction_id="33318") == [light.reference]
    assert _ids(client, jurisdiction_id="33063") == []
