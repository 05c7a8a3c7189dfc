"""Outbox: mail is written in the caller's transaction and delivered by a background task.

`outbox_enqueue_email` writes an `OutboxMessage` and enqueues `outbox_email_send` for it in the
same transaction (database task backend): a rollback leaves neither. Any number of workers may
run the task, and the same message may be enqueued more than once (`socle outbox` re-queues
messages whose task was lost): the task first claims the message with one conditional UPDATE
(undelivered, and not owned by another worker whose claim is still valid), so one message is
never sent by two workers at once. A worker killed mid-send leaves a claim that expires after
`OUTBOX_CLAIM_SECONDS`; the message is then sent again with the same Message-ID
(`<outbox-PK@OUTBOX_MESSAGE_ID_DOMAIN>`), so the receiving side can recognise the resend.
A failed send is retried by the task re-enqueueing itself with an exponential backoff.
"""

import logging
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from socle.core.models import OutboxMessage
from socle.core.tasks import task_enqueue

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def outbox_message_id(message_id: int) -> str:
    """The Message-ID header of an outbox message: the same at every (re)send."""
    return f"<outbox-{message_id}@{settings.OUTBOX_MESSAGE_ID_DOMAIN}>"


def _task_enqueue(message_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the delivery task; it is written in the current transaction when possible."""
    task_enqueue(outbox_email_send, message_id, run_after=run_after)


@transaction.atomic
def outbox_enqueue_email(*, to: list[str], subject: str, body: str) -> OutboxMessage:
    """Record an email and queue its delivery, both in the caller's transaction."""
    message = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.EMAIL,
        payload={"to": to, "subject": subject, "body": body},
        next_attempt_at=timezone.now(),
    )
    _task_enqueue(message.pk)
    return message


def _claim(message_id: int) -> str | None:
    """Take the message for this worker, atomically; None when it is not to be sent by us."""
    now = timezone.now()
    token = secrets.token_hex(16)
    claimed = (
        OutboxMessage.objects.filter(
            pk=message_id, delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        # A duplicate task does not skip the retry's delay.
        .filter(next_attempt_at__lte=now)
        .update(
            claim_token=token,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
        )
    )
    return token if claimed else None


def _without_body(message: OutboxMessage) -> dict:
    """The payload once it is no longer needed: bodies carry live links (invitations, password
    resets) and personal data, so a delivered message keeps only who and what. A message that
    failed for good keeps its body, so that someone can send it again (outbox_retry)."""
    return {"to": message.payload.get("to", []), "subject": message.payload.get("subject", "")}


def _send(message: OutboxMessage) -> None:
    payload = message.payload
    EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        to=payload["to"],
        headers={"Message-ID": outbox_message_id(message.pk)},
    ).send()


@task()
def outbox_email_send(message_id: int) -> str:
    """Deliver one outbox message, at most one worker at a time; retry later when it fails."""
    token = _claim(message_id)
    if token is None:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _send(message)
    except Exception as exc:  # noqa: BLE001 - any failure is retried later
        attempts = message.attempts + 1
        retry_at = timezone.now() + timedelta(minutes=2**attempts)
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message_id, claim_token=token).update(
                attempts=attempts,
                last_error=str(exc)[:2000],
                next_attempt_at=retry_at,
                claimed_until=None,
                claim_token="",
            )
            if attempts < MAX_ATTEMPTS:
                _task_enqueue(message_id, run_after=retry_at)
        logger.warning("outbox message %s failed (attempt %s): %s", message_id, attempts, exc)
        return "failed"
    OutboxMessage.objects.filter(pk=message_id, claim_token=token).update(
        attempts=F("attempts") + 1,
        delivered_at=timezone.now(),
        last_error="",
        claimed_until=None,
        claim_token="",
        payload=_without_body(message),
    )
    return "delivered"


def outbox_messages_forget(messages: Mapping[int, bool]) -> int:
    """Keep only the subject of these sent or failed messages (``{message id: whether its
    address is a citizen's}``): their bodies carry texts and links, and a citizen's address is
    erased too (a service's stays). A message still to send is left alone: its delivery drops
    its body. Return how many were changed."""
    found = OutboxMessage.objects.filter(pk__in=list(messages)).filter(
        Q(delivered_at__isnull=False) | Q(attempts__gte=MAX_ATTEMPTS)
    )
    changed = 0
    for message in found:
        message.payload = {
            "to": [] if messages[message.pk] else message.payload.get("to", []),
            "subject": message.payload.get("subject", ""),
        }
        message.save(update_fields=["payload"])
        changed += 1
    return changed


@transaction.atomic
def outbox_retry(*, message_id: int) -> bool:
    """Give a message that failed for good a new series of attempts; return whether it had."""
    message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.delivered_at is not None or message.attempts < MAX_ATTEMPTS:
        return False
    if "body" not in message.payload:
        # Its body was erased (a retention period ended): nothing left to send.
        return False
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    _task_enqueue(message.pk)
    return True


@transaction.atomic
def outbox_sweep(*, limit: int = 500) -> int:
    """Queue again the undelivered messages whose task is overdue; return how many.

    A task is lost when its worker was killed mid-send (the database backend keeps it as
    running) or when Redis lost it; a message that is queued twice is still sent once.
    """
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    ids = list(
        OutboxMessage.objects.filter(
            delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=overdue
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        # A duplicate task does not skip the retry's delay.
        .filter(next_attempt_at__lte=now)
        .values_list("pk", flat=True)[:limit]
    )
    # The next sweep leaves them alone until they are overdue again.
    OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=now)
    for message_id in ids:
        _task_enqueue(message_id)
    return len(ids)
