"""Mail is written to the outbox with the change, delivered after commit, retried on failure."""

from django.db import transaction

from socle.core.models import OutboxMessage
from socle.core.outbox import outbox_deliver, outbox_enqueue_email


def test_it_delivers_after_commit_to_the_smtp_server(
    db, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue_email(
            to=["agent@example.fr"], subject="Bonjour", body="Un message réel."
        )
    received = smtp_server.wait_for(1)
    assert received[0]["To"] == "agent@example.fr"
    assert received[0]["Subject"] == "Bonjour"
    assert "Un message réel." in received[0].get_content()
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 1


def test_it_sends_nothing_when_the_change_is_rolled_back(
    db, smtp_server, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                outbox_enqueue_email(to=["x@example.fr"], subject="Jamais", body="…")
                raise Abort
        except Abort:
            pass
    assert callbacks == []
    assert not OutboxMessage.objects.filter(payload__subject="Jamais").exists()
    assert smtp_server.messages == []


def test_it_keeps_and_retries_a_message_when_the_server_is_down(db, settings, smtp_server):
    settings.EMAIL_PORT = 1  # nothing listens there
    message = outbox_enqueue_email(to=["y@example.fr"], subject="Plus tard", body="…")
    assert outbox_deliver() == 0
    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at > message.created_at

    # The server is back and the retry is due: the message goes out once.
    settings.EMAIL_PORT = smtp_server.port
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert outbox_deliver() == 1
    assert outbox_deliver() == 0
    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["Plus tard"]
