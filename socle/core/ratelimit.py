"""Hourly rate limits shared by every worker process: anonymous reports (socle.signalements), the
public verification of documents (socle.demarches).

A limit is counted in database rows (`RateLimitHit`), not in a per-process cache, so that
gunicorn's workers share it; a row holds a keyed digest of the IP or email, never the value.
(django-ratelimit counts in the cache backend: with the default local-memory cache, each
worker would allow the limit again.)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from socle.core.models import RateLimitHit

WINDOW = timedelta(hours=1)


def rate_key(kind: str, value: str) -> str:
    """Return the keyed digest that counts `value` (an IP, an email) under a kind of limit."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def rate_limit_hit(*, limits: Sequence[tuple[str, int]]) -> bool:
    """Count one action under each (key, limit per hour); when one key is already at its limit,
    count nothing and return False."""
    now = timezone.now()
    for cle, limit in limits:
        if RateLimitHit.objects.filter(cle=cle, cree_le__gte=now - WINDOW).count() >= limit:
            return False
    RateLimitHit.objects.bulk_create([RateLimitHit(cle=cle, cree_le=now) for cle, _ in limits])
    # Rows out of the window are useless: forget them as we go.
    RateLimitHit.objects.filter(cree_le__lt=now - WINDOW).delete()
    return True
