"""A message that failed for good keeps its body and can be sent again: `outbox_retry` gives it
a new series of attempts, and an agent does so for a report's message with `envoi_retry`."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socle.core.models import OutboxMessage
from socle.core.outbox import (
    MAX_ATTEMPTS,
    outbox_enqueue_email,
    outbox_message_id,
    outbox_retry,
)
from socle.signalements.models import Envoi, Evenement
from socle.signalements.selectors import transmission_state
from socle.signalements.services import envoi_retry, signalement_create
from tests.helpers.net import free_port
from tests.signalements.conftest import PESSAC


class SwitchableServer:
    """A real SMTP server that refuses every recipient (550) while `refusing` is true."""

    def __init__(self):
        self.refusing = True
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refusing:
            return "550 5.7.1 Refused"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    handler = SwitchableServer()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield handler
    controller.stop()


@pytest.fixture
def fail_for_good(monkeypatch, run_tasks):
    """Run the tasks of a message, travelling in time past each retry, until it failed for good."""
    real_now = timezone.now
    offset = [timedelta(0)]
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset[0])

    def run(message: OutboxMessage) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            run_tasks()
            offset[0] += timedelta(minutes=2**attempt + 1)
        message.refresh_from_db()
        assert message.attempts == MAX_ATTEMPTS and message.delivered_at is None

    return run


def test_it_sends_again_a_message_that_failed_for_good(db, smtp, fail_for_good, run_tasks):
    message = outbox_enqueue_email(to=["k@example.fr"], subject="Objet", body="Le corps du texte")
    fail_for_good(message)
    assert message.payload["body"] == "Le corps du texte"
    assert run_tasks() == 0

    smtp.refusing = False
    assert outbox_retry(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.attempts == 0 and message.last_error == ""
    assert run_tasks() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None
    [(to, content)] = smtp.received
    assert to == ["k@example.fr"]
    assert b"Le corps du texte" in content
    assert outbox_message_id(message.pk).encode() in content


def test_it_does_not_retry_a_delivered_a_pending_or_an_unknown_message(db, smtp, run_tasks):
    smtp.refusing = False
    delivered = outbox_enqueue_email(to=["a@example.fr"], subject="A", body="…")
    run_tasks()
    pending = outbox_enqueue_email(to=["b@example.fr"], subject="B", body="…")
    assert outbox_retry(message_id=delivered.pk) is False
    assert outbox_retry(message_id=pending.pk) is False
    assert outbox_retry(message_id=999_999) is False
    assert run_tasks() == 1  # only the pending message's own task
    assert len(smtp.received) == 2


@pytest.fixture
def failed_envoi(demo_members, citizen, smtp, fail_for_good):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    envoi = report.envois.get(destinataire=Envoi.Destinataire.SERVICE)
    fail_for_good(envoi.message)
    assert transmission_state(report) == "echec"
    return envoi


def test_it_lets_the_reports_agent_send_a_failed_message_again(
    failed_envoi, agent_voirie_sud, smtp, run_tasks
):
    report = failed_envoi.signalement
    smtp.refusing = False
    envoi_retry(acting_user=agent_voirie_sud, envoi=failed_envoi)
    assert transmission_state(report) == "en_cours"
    assert report.evenements.filter(kind=Evenement.Kind.ENVOI_RELANCE).count() == 1
    run_tasks()
    assert transmission_state(report) == "transmis"
    [(to, content)] = [r for r in smtp.received if report.service.email in r[0]]
    assert report.reference.encode() in content
    # Delivered now: nothing to send again.
    with pytest.raises(ValidationError):
        envoi_retry(acting_user=agent_voirie_sud, envoi=failed_envoi)


def test_it_refuses_a_retry_by_an_agent_of_another_service(failed_envoi, agent_voirie_nord):
    with pytest.raises(PermissionDenied):
        envoi_retry(acting_user=agent_voirie_nord, envoi=failed_envoi)
    failed_envoi.message.refresh_from_db()
    assert failed_envoi.message.attempts == MAX_ATTEMPTS
