"""preload_router builds the index before gunicorn forks, then freezes it for sharing."""

import gc

import pytest
from django.db import DatabaseError

from socle.routage import routing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]


@pytest.fixture
def calls(monkeypatch):
    # The real ones would freeze the test process and close the test's connection.
    found = []
    monkeypatch.setattr(gc, "freeze", lambda: found.append("freeze"))
    monkeypatch.setattr(routing.cache.connections, "close_all", lambda: found.append("close_all"))
    return found


def test_it_builds_the_router_then_closes_connections_and_freezes(gironde, calls):
    router = routing.preload_router()
    assert router is routing.get_router()
    assert len(router.territory.communes) == gironde.communes
    assert calls == ["close_all", "freeze"]


def test_it_lets_the_server_start_without_a_database(calls, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("no such table: territoires_routingversion")

    monkeypatch.setattr(routing.cache, "get_router", broken)
    assert routing.preload_router() is None
    assert calls == ["close_all"]
