"""A report is « transmis » only when every send to who acts was delivered: one send still
failing keeps it « en cours », one failing for good shows « echec »."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from socle.core.outbox import MAX_ATTEMPTS
from socle.signalements.models import Envoi
from socle.signalements.selectors import envois_of, transmission_state
from socle.signalements.services import signalement_create, signalement_reroute
from tests.helpers.net import free_port
from tests.signalements.conftest import PESSAC


class RefusingHandler:
    """Accepts mail, except for the addresses in `refused` (550, a permanent refusal)."""

    def __init__(self):
        self.refused: set[str] = set()
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    handler = RefusingHandler()
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
def clock(monkeypatch):
    """Time travel: `clock.advance(minutes)` moves everything that asks Django the time."""
    real_now = timezone.now

    class Clock:
        offset = timedelta(0)

        def advance(self, minutes: float) -> None:
            self.offset += timedelta(minutes=minutes)

    travelling = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + travelling.offset)
    return travelling


@pytest.fixture
def report(demo_members, citizen):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )


def _service_states(report):
    return [state for envoi, state in envois_of(report) if envoi.destinataire == "service"]


def test_it_is_transmitted_only_once_every_service_send_was_delivered(
    report, demo_members, agent_voirie_sud, smtp, clock, run_tasks
):
    nord = demo_members.metropole.services.get(nom="Direction de la voirie")
    signalement_reroute(
        acting_user=agent_voirie_sud, signalement=report, service=nord, motif="Hors secteur"
    )
    smtp.refused.add(nord.email)
    run_tasks()
    assert sorted(_service_states(report)) == ["en_attente", "livre"]
    assert transmission_state(report) == "en_cours"

    smtp.refused.clear()
    clock.advance(3)  # past the first retry's delay
    run_tasks()
    assert _service_states(report) == ["livre", "livre"]
    assert transmission_state(report) == "transmis"
    assert nord.email in smtp.delivered


def test_it_shows_echec_when_a_send_fails_for_good(report, smtp, clock, run_tasks):
    service_email = report.service.email
    smtp.refused.add(service_email)
    [envoi] = report.envois.filter(destinataire=Envoi.Destinataire.SERVICE)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run_tasks()
        envoi.message.refresh_from_db()
        assert envoi.message.attempts == attempt
        assert transmission_state(report) == ("echec" if attempt == MAX_ATTEMPTS else "en_cours")
        clock.advance(2**attempt + 1)
    assert "550" in envoi.message.last_error
    # No more attempts on their own.
    assert run_tasks() == 0
    assert service_email not in smtp.delivered
    # The reporter's own mail went out.
    assert report.auteur_email in smtp.delivered
