"""A record without its purpose, data or channel is refused in French, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from socle.comptes.models import User
from socle.journal.models import PersonalDataAccess
from socle.journal.services import journal_record

pytestmark = pytest.mark.django_db

GOOD = {
    "data": "identité et coordonnées",
    "channel": "back-office : assistance aux usagers",
    "purpose": "Demande d'assistance au guichet",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"purpose": ""}, "purpose", "Le motif de la consultation est obligatoire."),
        ({"purpose": "   "}, "purpose", "Le motif de la consultation est obligatoire."),
        ({"purpose": None}, "purpose", "Le motif de la consultation est obligatoire."),
        ({"data": ""}, "data", "Précisez quelles données ont été consultées."),
        ({"channel": ""}, "channel", "Précisez depuis quel écran ou quelle API"),
        ({"purpose": "x" * 301}, "purpose", "300 caractères au plus."),
        ({"action": "suppression"}, "action", "Action inconnue : suppression"),
    ],
    ids=["empty purpose", "blank purpose", "no purpose", "no data", "no channel", "long", "action"],
)
def test_it_refuses_an_incomplete_record(
    agent_pessac, citizen, demo_members, change, field, message
):
    with pytest.raises(ValidationError) as raised:
        journal_record(
            agent=agent_pessac, citizen=citizen, membre=demo_members.pessac, **{**GOOD, **change}
        )
    assert message in " ".join(raised.value.message_dict[field])
    assert not PersonalDataAccess.objects.exists()


def test_it_refuses_an_unsaved_citizen(agent_pessac, demo_members):
    with pytest.raises(ValidationError, match="comptes enregistrés"):
        journal_record(agent=agent_pessac, citizen=User(email="x@example.fr"), membre=None, **GOOD)
    assert not PersonalDataAccess.objects.exists()
