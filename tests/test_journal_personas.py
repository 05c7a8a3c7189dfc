"""Personas of the journal's tests; other test modules import the `*_fixture` functions.

Pessac and Bordeaux each have a DPO; the structure has an ethics committee member; a second
citizen checks that nobody sees someone else's accesses.
"""

import pytest

from socle.comptes.models import User
from socle.comptes.services import user_create
from socle.demo.setup import DEMO_PASSWORD
from socle.journal.services import journal_record
from socle.membres.models import Role
from socle.membres.services import role_grant


def _person(email: str, first_name: str, last_name: str) -> User:
    return User.objects.filter(email=email).first() or user_create(
        email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
    )


@pytest.fixture(name="dpo_pessac")
def dpo_pessac_fixture(demo_members):
    user = _person("delphine.dpo@pessac.example.fr", "Delphine", "Dépéo")
    role_grant(acting_user=None, user=user, kind=Role.Kind.DPO, membre=demo_members.pessac)
    return user


@pytest.fixture(name="dpo_bordeaux")
def dpo_bordeaux_fixture(demo_members):
    user = _person("damien.dpo@bordeaux.example.fr", "Damien", "Dépéo")
    role_grant(acting_user=None, user=user, kind=Role.Kind.DPO, membre=demo_members.bordeaux)
    return user


@pytest.fixture(name="ethique")
def ethique_fixture(db):
    user = _person("eloise.ethique@socle.localhost", "Éloïse", "Éthique")
    role_grant(acting_user=None, user=user, kind=Role.Kind.ETHIQUE)
    return user


@pytest.fixture(name="other_citizen")
def other_citizen_fixture(db):
    return _person("dominique.citoyen@example.fr", "Dominique", "Citoyen")


@pytest.fixture(name="pessac_and_bordeaux_entries")
def pessac_and_bordeaux_entries_fixture(demo_members, citizen, other_citizen):
    """One access by Pessac to Camille's data, one by Bordeaux to Dominique's."""
    pessac = journal_record(
        agent=demo_members.agent_pessac,
        citizen=citizen,
        membre=demo_members.pessac,
        data="identité et coordonnées",
        channel="back-office : assistance aux usagers",
        purpose="Demande d'assistance au guichet",
    )
    bordeaux = journal_record(
        agent=demo_members.agent_bordeaux,
        citizen=other_citizen,
        membre=demo_members.bordeaux,
        data="justificatif de domicile",
        channel="back-office : démarches",
        purpose="Instruction de la demande 2026-0042",
    )
    return pessac, bordeaux


@pytest.mark.django_db
def test_it_gives_each_journal_persona_its_role(dpo_pessac, dpo_bordeaux, ethique, demo_members):
    assert dpo_pessac.roles.get().membre == demo_members.pessac
    assert dpo_bordeaux.roles.get().membre == demo_members.bordeaux
    ethics_role = ethique.roles.get()
    assert (ethics_role.kind, ethics_role.membre) == (Role.Kind.ETHIQUE, None)
