"""The personas of the tests, built through the services as the platform builds people.

`persona()` makes (or finds) an account and grants it a role. The journal's personas are
fixtures here, registered for every test by `tests/conftest.py`: Pessac and Bordeaux each have a
DPO; the structure has an ethics committee member; a second citizen checks that nobody sees
someone else's accesses.
"""

import pytest

from tests.helpers.journal import record_access


def persona(
    email_address: str,
    *,
    kind=None,
    membre=None,
    service=None,
    first_name: str = "Test",
    last_name: str = "Persona",
):
    """The account of `email_address` (created with the demo password), given the role `kind`."""
    from socle.comptes.models import User
    from socle.comptes.services import user_create
    from socle.demo.setup import DEMO_PASSWORD
    from socle.membres.services import role_grant

    user = User.objects.filter(email=email_address).first() or user_create(
        email=email_address, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
    )
    if kind:
        role_grant(acting_user=None, user=user, kind=kind, membre=membre, service=service)
    return user


@pytest.fixture
def dpo_pessac(demo_members):
    """Pessac's DPO."""
    from socle.membres.models import Role

    return persona(
        "delphine.dpo@pessac.example.fr",
        kind=Role.Kind.DPO,
        membre=demo_members.pessac,
        first_name="Delphine",
        last_name="Dépéo",
    )


@pytest.fixture
def dpo_bordeaux(demo_members):
    """Bordeaux's DPO."""
    from socle.membres.models import Role

    return persona(
        "damien.dpo@bordeaux.example.fr",
        kind=Role.Kind.DPO,
        membre=demo_members.bordeaux,
        first_name="Damien",
        last_name="Dépéo",
    )


@pytest.fixture
def ethique(db):
    """A member of the structure's ethics committee."""
    from socle.membres.models import Role

    return persona(
        "eloise.ethique@socle.localhost",
        kind=Role.Kind.ETHIQUE,
        first_name="Éloïse",
        last_name="Éthique",
    )


@pytest.fixture
def other_citizen(db):
    """A second citizen, with no role."""
    return persona("dominique.citoyen@example.fr", first_name="Dominique", last_name="Citoyen")


@pytest.fixture
def pessac_and_bordeaux_entries(demo_members, citizen, other_citizen):
    """One access by Pessac to Camille's data, one by Bordeaux to Dominique's."""
    from socle.journal.services import journal_record

    pessac = record_access(demo_members.agent_pessac, citizen, demo_members.pessac)
    bordeaux = journal_record(
        agent=demo_members.agent_bordeaux,
        citizen=other_citizen,
        membre=demo_members.bordeaux,
        data="justificatif de domicile",
        channel="back-office : démarches",
        purpose="Instruction de la demande 2026-0042",
    )
    return pessac, bordeaux
