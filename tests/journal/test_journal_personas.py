"""The journal's personas (tests/helpers/personas.py) hold the roles their names say."""

import pytest

from socle.membres.models import Role


@pytest.mark.django_db
def test_it_gives_each_journal_persona_its_role(dpo_pessac, dpo_bordeaux, ethique, demo_members):
    assert dpo_pessac.roles.get().membre == demo_members.pessac
    assert dpo_bordeaux.roles.get().membre == demo_members.bordeaux
    ethics_role = ethique.roles.get()
    assert (ethics_role.kind, ethics_role.membre) == (Role.Kind.ETHIQUE, None)
