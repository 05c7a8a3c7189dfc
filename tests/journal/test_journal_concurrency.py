"""Simultaneous records never fork the chain: appends are serialized by the database.

Each thread has its own database connection (hence `transactional_db`: rows must be committed
for the other threads to see them), and a barrier releases all threads at once.

On PostgreSQL the threads share the test database, and `pg_advisory_xact_lock` is what keeps
them in line. On SQLite the test database lives in memory with one cache shared by every
connection, where a busy writer makes the others fail at once instead of waiting; so the
threads run on a file copy of it, configured as in production (WAL, BEGIN IMMEDIATE, a busy
timeout): there, BEGIN IMMEDIATE is what keeps them in line.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections

from socle.comptes.models import User
from socle.journal.models import PersonalDataAccess
from socle.journal.services import GENESIS_HASH, journal_record, journal_verify

THREADS = 6
RECORDS_PER_THREAD = 8


@pytest.fixture
def people(transactional_db):
    agents = [
        User.objects.create_user(email=f"agent{i}@example.fr", password=None)
        for i in range(THREADS)
    ]
    citizen = User.objects.create_user(email="usager@example.fr", password=None)
    return agents, citizen


@pytest.fixture
def in_thread(people, tmp_path):
    """Run a function in a new thread, with its own connection to the database under test."""
    file_settings = None
    if connection.vendor == "sqlite":
        path = tmp_path / "journal.sqlite3"
        copy = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
        file_settings = {**connection.settings_dict, "NAME": str(path)}
    wrapper_class = type(connections["default"])

    def start(function, *args) -> threading.Thread:
        def run():
            if file_settings is not None:
                connections["default"] = wrapper_class(file_settings, "default")
            try:
                function(*args)
            finally:
                connections["default"].close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    return start


def test_it_keeps_the_chain_linear_under_concurrent_records(people, in_thread):
    agents, citizen = people
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(agent):
        try:
            barrier.wait(timeout=10)
            for number in range(RECORDS_PER_THREAD):
                journal_record(
                    agent=agent,
                    citizen=citizen,
                    membre=None,
                    data="identité et coordonnées",
                    channel="test de concurrence",
                    purpose=f"accès {number}",
                )
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)

    for thread in [in_thread(work, agent) for agent in agents]:
        thread.join(timeout=60)
    assert not errors, errors

    found = {}

    def check():
        found["entries"] = list(PersonalDataAccess.objects.order_by("id"))
        found["report"] = journal_verify()

    in_thread(check).join(timeout=60)
    entries, report = found["entries"], found["report"]
    assert len(entries) == THREADS * RECORDS_PER_THREAD
    assert {entry.agent_id for entry in entries} == {agent.pk for agent in agents}
    previous = [GENESIS_HASH] + [entry.entry_hash for entry in entries[:-1]]
    assert [entry.previous_hash for entry in entries] == previous
    # No two entries claim the same predecessor: the chain did not fork.
    assert len({entry.previous_hash for entry in entries}) == len(entries)
    assert report.ok, report.reason
    assert report.count == THREADS * RECORDS_PER_THREAD
