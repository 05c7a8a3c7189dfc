"""Fixtures of the routing tests."""

import pytest


@pytest.fixture
def fresh_router():
    """Forget the process's router before and after the test: it is built again from the data."""
    from socle.routage import routing

    routing.reset_router()
    yield
    routing.reset_router()


@pytest.fixture
def admin_metropole(demo_members):
    """An administrator of Bordeaux Métropole."""
    from socle.membres.models import Role
    from tests.helpers.personas import persona

    return persona(
        "marc.admin@bordeaux-metropole.example.fr",
        kind=Role.Kind.ADMINISTRATEUR,
        membre=demo_members.metropole,
    )


@pytest.fixture
def admin_bordeaux(demo_members):
    """An administrator of Bordeaux."""
    from socle.membres.models import Role
    from tests.helpers.personas import persona

    return persona(
        "berenice.admin@bordeaux.example.fr",
        kind=Role.Kind.ADMINISTRATEUR,
        membre=demo_members.bordeaux,
    )
