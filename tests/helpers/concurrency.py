"""Run calls at the same moment in threads, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def at_once(
    *calls: Callable[[], Any], timeout: float = 60
) -> tuple[list[Any], list[BaseException]]:
    """Start every call together (a barrier), each in its thread; return their results (in the
    order they ended) and the exceptions raised."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    failures: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except BaseException as error:  # noqa: BLE001 - returned to the test
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, failures
