"""A worker killed mid-delivery: every message still goes out, a resend keeps its Message-ID."""

import asyncio
import os
import signal
import time
from collections import Counter

from aiosmtpd.controller import Controller

from socle.core.models import OutboxMessage
from socle.core.outbox import outbox_enqueue_email, outbox_message_id, outbox_sweep
from tests.helpers.net import free_port
from tests.helpers.task_workers import start_worker, worker_env

CLAIM_SECONDS = 2


class SlowHandler:
    """Notes each message as it arrives, then takes its time to accept it."""

    def __init__(self):
        self.message_ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        for line in envelope.content.decode().splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids.append(line.split(":", 1)[1].strip())
        await asyncio.sleep(0.4)
        return "250 Message accepted for delivery"


def _wait(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_it_delivers_everything_after_a_worker_is_killed(transactional_db, settings, tmp_path):
    handler = SlowHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    messages = [
        outbox_enqueue_email(to=[f"k{i}@example.fr"], subject=f"Message {i}", body="…")
        for i in range(5)
    ]
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
            # The first message is done, the second is being received: kill the worker now.
            _wait(lambda: len(handler.message_ids) >= 2, timeout=15)
            assert len(handler.message_ids) >= 2, log.read_text()
            os.kill(first.pid, signal.SIGKILL)
            in_flight = handler.message_ids[-1]
        finally:
            first.kill()
            first.wait()
        assert first.returncode == -signal.SIGKILL

        # It died mid-send: the message is claimed, not delivered.
        [stuck] = [m for m in messages if outbox_message_id(m.pk) == in_flight]
        stuck.refresh_from_db()
        assert stuck.delivered_at is None
        assert stuck.claimed_until is not None

        # The sweeper queues again what waits, but not the message the dead worker still owns;
        # once that claim expires, that message too.
        settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
        waiting = OutboxMessage.objects.filter(delivered_at__isnull=True).count()
        assert outbox_sweep() == waiting - 1
        time.sleep(CLAIM_SECONDS + 0.1)
        assert outbox_sweep() == waiting

        second = start_worker(env, log, "--batch")
        try:
            second.wait(timeout=15)
        finally:
            second.kill()
            second.wait()
        assert second.returncode == 0, log.read_text()
    finally:
        controller.stop()

    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    received = Counter(handler.message_ids)
    expected = Counter({outbox_message_id(m.pk): 1 for m in messages})
    expected[in_flight] = 2  # sent again, recognisably the same message
    assert received == expected, log.read_text()
