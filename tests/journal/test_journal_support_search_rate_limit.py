"""An agent makes at most CITIZEN_SEARCH_LIMIT searches in CITIZEN_SEARCH_WINDOW; beyond, 429
with a French message, and the answer says nothing of the address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.journal import services
from socle.journal.models import CitizenSearch

pytestmark = pytest.mark.django_db


def _search(client, email):
    return client.post("/gestion/pessac/usagers/", {"email": email})


def test_it_refuses_the_search_after_the_limit(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    for number in range(services.CITIZEN_SEARCH_LIMIT):
        assert _search(client, f"personne{number}@example.fr").status_code == 200
    response = _search(client, citizen.email)
    assert response.status_code == 429
    page = response.content.decode()
    assert "attendez quelques minutes" in page
    assert "Un compte d’usager correspond" not in page
    assert "Aucun usager n’a de compte" not in page
    assert "/gestion/pessac/usagers/" in page  # the form is still there
    assert CitizenSearch.objects.count() == services.CITIZEN_SEARCH_LIMIT


def test_the_limit_is_per_agent(client, agent_pessac, admin_pessac, monkeypatch):
    monkeypatch.setattr(services, "CITIZEN_SEARCH_LIMIT", 2)
    client.force_login(agent_pessac)
    _search(client, "a@example.fr")
    _search(client, "b@example.fr")
    assert _search(client, "c@example.fr").status_code == 429
    client.force_login(admin_pessac)
    assert _search(client, "c@example.fr").status_code == 200


def test_it_searches_again_once_the_window_has_passed(client, agent_pessac, monkeypatch):
    monkeypatch.setattr(services, "CITIZEN_SEARCH_LIMIT", 2)
    client.force_login(agent_pessac)
    _search(client, "a@example.fr")
    _search(client, "b@example.fr")
    assert _search(client, "c@example.fr").status_code == 429
    CitizenSearch.objects.update(
        created_at=timezone.now() - services.CITIZEN_SEARCH_WINDOW - timedelta(seconds=1)
    )
    assert _search(client, "c@example.fr").status_code == 200
