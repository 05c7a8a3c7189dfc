"""Enqueueing a background task with the change that needs it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks_db import DatabaseBackend


def task_enqueue(task: Any, *args: Any, run_after: datetime | None = None) -> None:
    """Enqueue a task in the caller's transaction when its backend is the database (a rollback
    takes both back); on Redis, which is outside the transaction, once the caller committed."""
    if run_after is not None:
        task = task.using(run_after=run_after)
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
