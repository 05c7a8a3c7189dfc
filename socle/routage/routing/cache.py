"""The process's router: built lazily, checked against the versions, preloaded before forks."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models.signals import post_migrate

from socle.routage.routing.inputs import check_coordinates
from socle.routage.routing.results import Answer, RoutingResult
from socle.routage.routing.state import Router, Rules, Territory
from socle.territoires.models import RoutingVersion

logger = logging.getLogger(__name__)

DEFAULT_VERSION_CHECK_SECONDS = 1.0


_router: Router | None = None
_lock = threading.Lock()


def _read_versions() -> tuple[int, int]:
    """Return the (territory, rules) versions from the database."""
    row = RoutingVersion.objects.filter(pk=1).values_list("territory", "rules").first()
    return row if row is not None else (0, 0)


def _check_seconds() -> float:
    return float(getattr(settings, "ROUTING_VERSION_CHECK_SECONDS", DEFAULT_VERSION_CHECK_SECONDS))


def get_router(*, refresh: bool = False) -> Router:
    """Return the process's router, rebuilding what the versions say changed.

    The versions are read at most every ROUTING_VERSION_CHECK_SECONDS, or now with
    refresh, or on every call while the router was built in a transaction not yet
    committed. While a thread rebuilds, the others keep answering from the current router.
    """
    router = _router
    if (
        router is not None
        and not refresh
        and time.monotonic() < router.check_after
        # Built inside a transaction that may yet roll back: check every time until then.
        and router.territory.marker is None
        and router.rules.marker is None
    ):
        return router
    if router is not None and not _lock.acquire(blocking=False):
        return router
    if router is None:
        _lock.acquire()
    try:
        return _synchronise()
    finally:
        _lock.release()


def _synchronise() -> Router:
    """Compare the versions and rebuild what changed; the caller holds the lock."""
    global _router
    current = _router
    # Read the versions first: data changed after this read only makes the next check
    # rebuild again, never leaves newer versions on older data.
    territory_version, rules_version = _read_versions()
    check_after = time.monotonic() + _check_seconds()
    if current is not None and current.territory.trusted(territory_version):
        if current.rules.trusted(rules_version):
            current.check_after = check_after
            return current
        territory = current.territory
    else:
        territory = Territory(territory_version)
    _router = Router(territory, Rules(rules_version), check_after)
    return _router


def reset_router(**kwargs: Any) -> None:
    """Forget the process's router; the next call rebuilds it (tests, after a restore)."""
    global _router
    with _lock:
        _router = None


# A flush (between transactional tests) or a migration may empty and refill the tables
# with the same version numbers: forget what was read before.
post_migrate.connect(reset_router, dispatch_uid="socle.routage.routing.reset_router")


def _release_free_memory() -> None:
    """Give the build's freed temporary arrays back to the system (glibc only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def preload_router() -> Router | None:
    """Build the router before forking workers, so they share it (gunicorn --preload)."""
    try:
        router = get_router(refresh=True)
    except DatabaseError:
        # A database not migrated yet must not keep the server from starting: each worker
        # will build its own router on first use instead.
        logger.warning("Routing index not preloaded: the database is not ready.", exc_info=True)
        return None
    finally:
        # Workers must open their own connections, not share the master's socket.
        connections.close_all()
    gc.collect()
    _release_free_memory()
    # Keep the collector from touching (and so unsharing) these objects' pages.
    gc.freeze()
    return router


def route(lat: float, lon: float, competence: str) -> RoutingResult:
    """Say who handles this competence at this point, and how to reach them."""
    check_coordinates(lat, lon)
    return get_router().route(lat, lon, competence)


def answer_in(commune_code: str, competence: str) -> Answer | None:
    """Say who holds a competence in a commune (INSEE code), from memory like route(); None
    for a commune the territory does not have."""
    return get_router().answer_in(commune_code, competence)


def commune_at(lat: float, lon: float) -> str | None:
    """Return the INSEE code of the commune at this point, None when in none."""
    check_coordinates(lat, lon)
    return get_router().commune_at(lat, lon)
