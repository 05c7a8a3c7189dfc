"""Personas and places of the reports' tests: the Métropole's road agents, points in Pessac."""

import pytest

from tests.helpers.personas import persona

# In Pessac, near the mairie: roads are Bordeaux Métropole's (Pôle territorial Sud's sector).
PESSAC = (44.8065, -0.6310)
# In Bordeaux, north of the southern sector: the Direction de la voirie's.
BORDEAUX = (44.8410, -0.5800)
# Saint-Émilion: not a member.
SAINT_EMILION = (44.8943, -0.1556)


@pytest.fixture
def agent_voirie_sud(demo_members):
    """An agent of Bordeaux Métropole's southern road service (Pessac is in its sector)."""
    from socle.membres.models import Role

    metropole = demo_members.metropole
    return persona(
        "victor.voirie@bordeaux-metropole.example.fr",
        kind=Role.Kind.AGENT,
        membre=metropole,
        service=metropole.services.get(nom="Pôle territorial Sud — voirie"),
    )


@pytest.fixture
def agent_voirie_nord(demo_members):
    """An agent of Bordeaux Métropole's Direction de la voirie (the rest of the Métropole)."""
    from socle.membres.models import Role

    metropole = demo_members.metropole
    return persona(
        "nadia.voirie@bordeaux-metropole.example.fr",
        kind=Role.Kind.AGENT,
        membre=metropole,
        service=metropole.services.get(nom="Direction de la voirie"),
    )
