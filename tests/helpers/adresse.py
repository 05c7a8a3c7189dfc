"""The local fake of the national address API, as a fixture (import it into a test module)."""

import pytest

from socle.demo.fake_adresse import FakeAdresseServer


@pytest.fixture
def fake_adresse(settings):
    """Serve the fake address API on loopback and point ADDRESS_API_URL at it."""
    with FakeAdresseServer() as server:
        settings.ADDRESS_API_URL = server.url
        settings.ADDRESS_API_TIMEOUT = 1.0
        yield server
