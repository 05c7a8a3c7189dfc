"""The worker delivers queued mail to the SMTP server, with a stable Message-ID, and retries."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socle.core.models import OutboxMessage
from socle.core.outbox import outbox_enqueue_email, outbox_message_id


def test_it_delivers_a_queued_mail_with_its_stable_message_id(db, smtp_server, run_tasks, settings):
    settings.OUTBOX_MESSAGE_ID_DOMAIN = "socle.example.org"
    message = outbox_enqueue_email(
        to=["agent@example.fr"], subject="Bonjour", body="Un message réel."
    )
    assert smtp_server.messages == []  # nothing goes out before a worker runs the task

    assert run_tasks() == 1
    [received] = smtp_server.wait_for(1)
    assert received["To"] == "agent@example.fr"
    assert received["Subject"] == "Bonjour"
    assert received["Message-ID"] == f"<outbox-{message.pk}@socle.example.org>"
    assert received["Message-ID"] == outbox_message_id(message.pk)
    assert "Un message réel." in received.get_content()
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 1
    assert message.claimed_until is None


def test_it_keeps_and_retries_a_message_when_the_server_is_down(
    db, settings, smtp_server, run_tasks
):
    settings.EMAIL_PORT = 1  # nothing listens there
    message = outbox_enqueue_email(to=["y@example.fr"], subject="Plus tard", body="…")
    assert run_tasks() == 1
    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(minutes=1)
    # The task queued itself again for then, not before.
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert abs(retry.run_after - message.next_attempt_at) < timedelta(seconds=1)
    assert run_tasks() == 0

    # The server is back and the retry is due: the message goes out once, with the same id.
    settings.EMAIL_PORT = smtp_server.port
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert run_tasks() == 1
    assert run_tasks() == 0
    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Plus tard"
    assert received["Message-ID"] == outbox_message_id(message.pk)
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 2
    # Delivered, it keeps who and what, not the body (live links, personal data).
    assert message.payload == {"to": ["y@example.fr"], "subject": "Plus tard"}
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
