"""Sessions of people holding a role end after a while without activity."""

import time

import pytest

from socle.comptes.models import SecurityEvent

pytestmark = pytest.mark.django_db


def _idle(client, seconds):
    session = client.session
    session["_socle_last_seen"] = int(time.time()) - seconds
    session.save()


def test_it_logs_out_an_idle_back_office_session(client, operateur, settings):
    settings.BACK_OFFICE_IDLE_TIMEOUT = 1800
    client.force_login(operateur)
    assert client.get("/gestion/").status_code == 200
    _idle(client, 1799)
    assert client.get("/gestion/").status_code == 200
    _idle(client, 1801)
    response = client.get("/gestion/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/connexion/?next=/gestion/"
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind="logout")
    assert event.details == {"idle": True}
    page = client.get(response["Location"])
    assert "Votre session a expiré" in page.content.decode()


def test_it_leaves_citizens_sessions_alone(client, citizen, settings):
    settings.BACK_OFFICE_IDLE_TIMEOUT = 1800
    client.force_login(citizen)
    client.get("/comptes/espace/")
    _idle(client, 4000)
    assert client.get("/comptes/espace/").status_code == 200


def test_it_can_be_switched_off(client, operateur, settings):
    settings.BACK_OFFICE_IDLE_TIMEOUT = 0
    client.force_login(operateur)
    _idle(client, 100_000)
    assert client.get("/gestion/").status_code == 200
