"""Moving members, roles and the journal into their own apps keeps every table and row.

The database is taken back to the schema before the move, filled through the historical
models, then migrated forward: the same rows are read through the new apps' models.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("territoires", "0004_add_accent_insensitive_search_name"),
    ("comptes", "0003_keep_ended_roles_when_a_service_is_deleted"),
]


@pytest.mark.django_db(transaction=True)
def test_it_keeps_members_roles_and_journal_entries_through_the_move():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps

    commune = old.get_model("territoires", "Collectivite").objects.create(
        kind="commune", code="99001", nom="Testville"
    )
    membre = old.get_model("territoires", "Membre").objects.create(
        collectivite=commune, slug="testville"
    )
    service = old.get_model("territoires", "Service").objects.create(membre=membre, nom="Voirie")
    user = old.get_model("comptes", "User").objects.create(email="agent@testville.fr")
    old.get_model("comptes", "Role").objects.create(
        user=user, kind="agent", membre=membre, service=service
    )
    old.get_model("comptes", "Invitation").objects.create(
        email="x@testville.fr",
        kind="agent",
        membre=membre,
        token_hash="h" * 64,
        expires_at=timezone.now(),
    )
    old.get_model("comptes", "PersonalDataAccess").objects.create(
        agent=user,
        citizen=user,
        membre=membre,
        data="identité",
        channel="test",
        purpose="test",
        previous_hash="0" * 64,
        entry_hash="e" * 64,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    new = MigrationExecutor(connection).loader.project_state(latest).apps

    moved = new.get_model("membres", "Membre").objects.get(slug="testville")
    assert moved.collectivite_id == commune.pk
    assert list(new.get_model("membres", "Service").objects.values_list("nom", flat=True)) == [
        "Voirie"
    ]
    role = new.get_model("membres", "Role").objects.get()
    assert (role.kind, role.membre_id, role.service_id) == ("agent", moved.pk, service.pk)
    assert new.get_model("membres", "Invitation").objects.get().email == "x@testville.fr"
    entry = new.get_model("journal", "PersonalDataAccess").objects.get()
    assert (entry.membre_id, entry.entry_hash) == (moved.pk, "e" * 64)
