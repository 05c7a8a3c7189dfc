"""A journal page verifies only what follows the last checkpoint: the same cost at any size.

`journal_verify` (the command) walks everything and moves the checkpoint; `journal_verify_recent`
(the pages) re-reads the checkpointed entry and walks what came after it.
"""

import pytest
from django.db import connection

from socle.journal.models import JournalCheckpoint, PersonalDataAccess
from socle.journal.services import journal_record, journal_verify, journal_verify_recent

pytestmark = pytest.mark.django_db


def _record(agent, citizen, membre, count):
    return [
        journal_record(
            agent=agent,
            citizen=citizen,
            membre=membre,
            data="identité",
            channel="test",
            purpose=f"accès {number}",
        )
        for number in range(count)
    ]


def _raw_update(entry_id: int, purpose: str) -> None:
    table = PersonalDataAccess._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET purpose = %s WHERE id = %s", [purpose, entry_id])  # noqa: S608


def test_it_walks_only_the_entries_after_the_checkpoint(demo_members, citizen):
    agent, pessac = demo_members.agent_pessac, demo_members.pessac
    entries = _record(agent, citizen, pessac, 30)
    assert journal_verify().ok
    assert JournalCheckpoint.objects.get().entry_id == entries[-1].pk

    # An old entry changed behind the checkpoint: only the full walk sees it.
    _raw_update(entries[3].pk, "autre motif")
    newer = _record(agent, citizen, pessac, 2)
    report = journal_verify_recent()
    assert report.ok
    assert report.count == 32
    assert JournalCheckpoint.objects.get().entry_id == newer[-1].pk
    assert journal_verify().broken_id == entries[3].pk


def test_it_costs_the_same_queries_at_any_size(
    demo_members, citizen, django_assert_max_num_queries
):
    agent, pessac = demo_members.agent_pessac, demo_members.pessac
    _record(agent, citizen, pessac, 5)
    journal_verify()
    _record(agent, citizen, pessac, 1)
    with django_assert_max_num_queries(6):
        assert journal_verify_recent().ok
    _record(agent, citizen, pessac, 200)
    journal_verify()
    _record(agent, citizen, pessac, 1)
    with django_assert_max_num_queries(6):
        assert journal_verify_recent().ok


def test_it_sees_a_change_after_or_at_the_checkpoint(demo_members, citizen):
    agent, pessac = demo_members.agent_pessac, demo_members.pessac
    entries = _record(agent, citizen, pessac, 3)
    journal_verify()
    later = _record(agent, citizen, pessac, 2)
    _raw_update(later[0].pk, "effacé")
    assert journal_verify_recent().broken_id == later[0].pk

    _raw_update(later[0].pk, "accès 0")
    assert journal_verify_recent().ok
    _raw_update(later[-1].pk, "effacé")
    report = journal_verify_recent()
    assert (report.ok, report.broken_id) == (False, later[-1].pk)
    assert entries
