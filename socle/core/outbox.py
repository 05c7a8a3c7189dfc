"""Outbox: enqueue inside the caller's transaction, deliver after commit with retries."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from socle.core.models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def outbox_enqueue_email(*, to: list[str], subject: str, body: str) -> OutboxMessage:
    """Record an email to send once the surrounding transaction commits."""
    message = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.EMAIL,
        payload={"to": to, "subject": subject, "body": body},
        next_attempt_at=timezone.now(),
    )
    # Deliver right away when the change commits; the worker retries what fails.
    transaction.on_commit(lambda: outbox_deliver(message_ids=[message.pk]))
    return message


def _send(message: OutboxMessage) -> None:
    payload = message.payload
    EmailMessage(subject=payload["subject"], body=payload["body"], to=payload["to"]).send()


def outbox_deliver(*, message_ids: list[int] | None = None, limit: int = 100) -> int:
    """Deliver due messages; return how many were delivered."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(
        delivered_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
    )
    if message_ids is not None:
        due = due.filter(pk__in=message_ids)
    delivered = 0
    for message in list(due[:limit]):
        try:
            _send(message)
        except Exception as exc:  # noqa: BLE001 - any failure is retried later
            message.attempts += 1
            message.last_error = str(exc)[:2000]
            message.next_attempt_at = now + timedelta(minutes=2**message.attempts)
            message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("outbox message %s failed: %s", message.pk, exc)
            continue
        message.attempts += 1
        message.delivered_at = timezone.now()
        message.save(update_fields=["attempts", "delivered_at"])
        delivered += 1
    return delivered
