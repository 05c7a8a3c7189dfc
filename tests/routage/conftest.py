"""Fixtures of the routing tests."""

import pytest


@pytest.fixture
def fresh_router():
    """Forget the process's router before and after the test: it is built again from the data."""
    from socle.routage import routing

    routing.reset_router()
    yield
    routing.reset_router()
