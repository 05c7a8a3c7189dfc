"""Nobody edits or deletes a journal entry through the ORM; the chain check catches the rest."""

import pytest
from django.db.transaction import atomic

from socle.journal.models import PersonalDataAccess
from socle.journal.services import JournalIsAppendOnly, journal_verify
from tests.helpers.journal import record_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(agent_pessac, citizen, demo_members):
    return record_access(agent_pessac, citizen, demo_members.pessac)


def test_it_refuses_to_save_an_existing_entry(entry):
    entry.purpose = "Autre chose"
    with pytest.raises(JournalIsAppendOnly, match="ne peut pas être modifiée"):
        entry.save()
    assert PersonalDataAccess.objects.get(pk=entry.pk).purpose == "Demande d'assistance au guichet"


def test_it_refuses_to_delete_an_entry(entry):
    # Each attempt in its own savepoint: a failed deletion spoils the enclosing transaction.
    with pytest.raises(JournalIsAppendOnly, match="ne peut pas être supprimée"), atomic():
        entry.delete()
    with pytest.raises(JournalIsAppendOnly), atomic():
        PersonalDataAccess.objects.filter(pk=entry.pk).delete()
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


def test_it_keeps_the_people_of_an_entry(entry, citizen):
    # The journal protects its agent and citizen from deletion (on_delete=PROTECT).
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), atomic():
        citizen.delete()
    assert journal_verify().ok
