"""A worker killed while it sends a report's confirmation mail: the mail still goes out, with
the same Message-ID, and the report's message ends delivered."""

import asyncio
import os
import signal
import time

from aiosmtpd.controller import Controller

from socle.core.outbox import outbox_message_id, outbox_sweep
from socle.demo.setup import setup_members
from socle.signalements.models import Envoi
from socle.signalements.selectors import envois_of
from socle.signalements.services import signalement_create
from tests.helpers.net import free_port
from tests.helpers.task_workers import start_worker, worker_env
from tests.signalements.conftest import PESSAC

CLAIM_SECONDS = 2


class SlowHandler:
    """Notes each message as it arrives, then takes its time to accept it."""

    def __init__(self):
        self.message_ids: list[str] = []
        self.contents: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        content = envelope.content.decode()
        for line in content.splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids.append(line.split(":", 1)[1].strip())
        self.contents.append(content)
        await asyncio.sleep(1.0)
        return "250 Message accepted for delivery"


def _wait(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_it_delivers_the_confirmation_mail_after_its_worker_is_killed(
    gironde_transactional, settings, tmp_path
):
    setup_members()
    handler = SlowHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="presse@example.fr",
    )
    [envoi] = report.envois.all()
    assert envoi.destinataire == Envoi.Destinataire.CITOYEN
    expected_id = outbox_message_id(envoi.message_id)
    env = worker_env(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        OUTBOX_CLAIM_SECONDS=str(CLAIM_SECONDS),
    )
    log = tmp_path / "workers.log"
    try:
        first = start_worker(env, log)
        try:
            # The confirmation is being received: kill the worker before it hears « 250 ».
            _wait(lambda: len(handler.message_ids) >= 1, timeout=15)
            assert handler.message_ids == [expected_id], log.read_text()
            os.kill(first.pid, signal.SIGKILL)
        finally:
            first.kill()
            first.wait()
        assert first.returncode == -signal.SIGKILL

        envoi.message.refresh_from_db()
        assert envoi.message.delivered_at is None
        assert [state for _e, state in envois_of(report)] == ["en_attente"]

        # Once the dead worker's claim expires, the sweeper queues it again.
        settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
        assert outbox_sweep() == 0
        time.sleep(CLAIM_SECONDS + 0.1)
        assert outbox_sweep() == 1

        second = start_worker(env, log, "--batch")
        try:
            second.wait(timeout=20)
        finally:
            second.kill()
            second.wait()
        assert second.returncode == 0, log.read_text()
    finally:
        controller.stop()

    assert [state for _e, state in envois_of(report)] == ["livre"]
    # At least once, and every copy recognisably the same message.
    assert len(handler.message_ids) >= 2
    assert set(handler.message_ids) == {expected_id}
    assert all(report.reference in content for content in handler.contents)
    assert "/signalements/confirmer/" in handler.contents[-1]
