"""Mail enqueued in a transaction that rolls back is neither kept, queued nor sent."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from socle.core.models import OutboxMessage
from socle.core.outbox import outbox_enqueue_email


class Abort(Exception):
    pass


def test_it_sends_nothing_when_the_change_is_rolled_back(db, smtp_server, run_tasks):
    outbox_enqueue_email(to=["kept@example.fr"], subject="Gardé", body="…")
    with pytest.raises(Abort), transaction.atomic():
        outbox_enqueue_email(to=["x@example.fr"], subject="Jamais", body="…")
        assert DBTaskResult.objects.count() == 2  # written in the caller's transaction
        raise Abort

    assert not OutboxMessage.objects.filter(payload__subject="Jamais").exists()
    assert DBTaskResult.objects.count() == 1
    assert run_tasks() == 1
    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["Gardé"]
