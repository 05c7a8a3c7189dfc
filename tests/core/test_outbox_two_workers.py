"""Two worker processes draining the same queue deliver every message exactly once."""

import time
from collections import Counter

from socle.core.models import OutboxMessage
from socle.core.outbox import outbox_enqueue_email, outbox_message_id, outbox_sweep
from tests.helpers.task_workers import start_worker, worker_env

COUNT = 30


def test_it_delivers_each_message_once_with_two_workers(
    transactional_db, smtp_server, settings, tmp_path
):
    messages = [
        outbox_enqueue_email(to=[f"n{i}@example.fr"], subject=f"Message {i}", body="…")
        for i in range(COUNT)
    ]
    # Every message is queued twice, so that both workers race for the same messages.
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 0
    assert outbox_sweep() == COUNT

    env = worker_env(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
    )
    log = tmp_path / "workers.log"
    workers = [start_worker(env, log, "--batch") for _ in range(2)]
    deadline = time.monotonic() + 20
    try:
        while any(w.poll() is None for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
    assert [w.returncode for w in workers] == [0, 0], log.read_text()

    received = Counter(m["Message-ID"] for m in smtp_server.messages)
    assert received == Counter({outbox_message_id(m.pk): 1 for m in messages}), log.read_text()
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
