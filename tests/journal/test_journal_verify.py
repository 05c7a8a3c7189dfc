"""The chain check finds the first entry that was edited, deleted, inserted or moved.

The tampering goes around `journal_record`, as an attacker with database access would: through
QuerySet.update and raw SQL.
"""

from datetime import timedelta

import pytest
from django.db import connection

from socle.journal.models import PersonalDataAccess
from socle.journal.services import (
    GENESIS_HASH,
    HASHED_FIELDS,
    compute_entry_hash,
    journal_verify,
)
from tests.helpers.journal import record_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(agent_pessac, citizen, demo_members):
    return [
        record_access(
            agent_pessac, citizen, demo_members.pessac, purpose=f"Demande d'assistance n°{number}"
        )
        for number in range(4)
    ]


def _raw_delete(entry_id: int) -> None:
    table = PersonalDataAccess._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry_id])  # noqa: S608


def test_it_accepts_an_empty_journal(db):
    report = journal_verify()
    assert (report.ok, report.count, report.head) == (True, 0, GENESIS_HASH)


def test_it_accepts_an_intact_chain(chain):
    report = journal_verify()
    assert report.ok
    assert report.count == 4
    assert report.head == chain[-1].entry_hash
    assert report.broken_id is None


@pytest.mark.parametrize(
    "change",
    [
        {"purpose": "Curiosité"},
        {"data": "rien"},
        {"channel": "autre écran"},
        {"action": "export"},
        {"ip": "198.51.100.1"},
        {"membre": None},
    ],
    ids=["purpose", "data", "channel", "action", "ip", "membre"],
)
def test_it_finds_an_edited_entry(chain, change):
    PersonalDataAccess.objects.filter(pk=chain[1].pk).update(**change)
    report = journal_verify()
    assert not report.ok
    assert report.broken_id == chain[1].pk
    assert report.count == 1
    assert "modifié" in report.reason


def test_it_finds_an_edited_person(chain, other_citizen_user):
    PersonalDataAccess.objects.filter(pk=chain[2].pk).update(citizen=other_citizen_user)
    assert journal_verify().broken_id == chain[2].pk


def test_it_finds_an_edited_date_even_by_a_microsecond(chain):
    moved = chain[2].created_at + timedelta(microseconds=1)
    PersonalDataAccess.objects.filter(pk=chain[2].pk).update(created_at=moved)
    assert journal_verify().broken_id == chain[2].pk


def test_it_finds_an_entry_whose_hash_was_recomputed_after_an_edit(chain):
    # Changing an entry's hash too breaks the link with the next entry.
    PersonalDataAccess.objects.filter(pk=chain[1].pk).update(entry_hash="f" * 64)
    report = journal_verify()
    assert report.broken_id == chain[1].pk


def test_it_finds_a_deleted_entry(chain):
    _raw_delete(chain[1].pk)
    report = journal_verify()
    assert not report.ok
    assert report.broken_id == chain[2].pk
    assert "supprimée" in report.reason


def test_it_finds_a_deleted_first_entry(chain):
    _raw_delete(chain[0].pk)
    assert journal_verify().broken_id == chain[1].pk


def test_it_finds_reordered_entries(chain):
    # Swap the ids of the second and third entries: the chain order no longer holds.
    second, third = chain[1].pk, chain[2].pk
    PersonalDataAccess.objects.filter(pk=third).update(id=10_000)
    PersonalDataAccess.objects.filter(pk=second).update(id=third)
    PersonalDataAccess.objects.filter(pk=10_000).update(id=second)
    report = journal_verify()
    assert not report.ok
    assert report.broken_id == second
    assert report.count == 1


def test_it_finds_an_inserted_entry_even_with_a_well_computed_hash(chain):
    # Make room before the last entry, and slip in a forged one, hashed as the code would.
    last = chain[3]
    PersonalDataAccess.objects.filter(pk=last.pk).update(id=10_000)
    forged = PersonalDataAccess(
        id=last.pk,
        created_at=chain[2].created_at,
        agent_id=last.agent_id,
        citizen_id=last.citizen_id,
        membre_id=last.membre_id,
        action="lecture",
        data="identité et coordonnées",
        channel="back-office : assistance aux usagers",
        purpose="Accès antidaté",
        previous_hash=chain[2].entry_hash,
    )
    values = {name: getattr(forged, name) for name in HASHED_FIELDS}
    forged.entry_hash = compute_entry_hash(values, forged.previous_hash)
    PersonalDataAccess.objects.bulk_create([forged])
    report = journal_verify()
    assert not report.ok
    assert report.broken_id == 10_000
    assert report.count == 4


@pytest.fixture
def other_citizen_user(db):
    from socle.comptes.models import User

    return User.objects.create_user(email="autre.usager@example.fr", password=None)
