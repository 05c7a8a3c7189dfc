"""A message queued twice, or owned by another worker, is sent once."""

from datetime import timedelta

from django.utils import timezone

from socle.core.models import OutboxMessage
from socle.core.outbox import outbox_email_send, outbox_enqueue_email, outbox_sweep


def test_it_sends_a_message_queued_twice_once(db, smtp_server, run_tasks, settings):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    message = outbox_enqueue_email(to=["a@example.fr"], subject="Une fois", body="…")
    assert outbox_sweep() == 1  # its task looks lost: queued again

    assert run_tasks() == 2
    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["Une fois"]
    assert len(smtp_server.messages) == 1
    message.refresh_from_db()
    assert message.attempts == 1
    assert outbox_sweep() == 0  # delivered: never queued again


def test_it_leaves_a_message_another_worker_is_sending(db, smtp_server):
    message = outbox_enqueue_email(to=["b@example.fr"], subject="Occupé", body="…")
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=5), claim_token="other-worker"
    )
    assert outbox_email_send.call(message.pk) == "skipped"

    # The other worker died: once its claim expires, the message is sent.
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_email_send.call(message.pk) == "delivered"
    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["Occupé"]
