"""One hourly limiter for the platform's anonymous actions: each kind of limit counts apart, a
refused action is not counted, and rows leave the table once out of the window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.core.models import RateLimitHit
from socle.core.ratelimit import rate_key, rate_limit_hit

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def test_it_counts_each_kind_apart_and_not_the_refused():
    lookups = [(rate_key("verifier-ip", IP), 2)]
    assert rate_limit_hit(limits=lookups) and rate_limit_hit(limits=lookups)
    assert rate_limit_hit(limits=lookups) is False
    # The same address's anonymous reports have their own count.
    assert rate_limit_hit(limits=[(rate_key("ip", IP), 2)])
    assert RateLimitHit.objects.count() == 3
    assert not RateLimitHit.objects.filter(cle__contains=IP).exists()


def test_it_refuses_when_any_key_is_at_its_limit_and_counts_none():
    ip, email = rate_key("ip", IP), rate_key("email", "camille@example.fr")
    assert rate_limit_hit(limits=[(email, 1)])
    assert rate_limit_hit(limits=[(ip, 5), (email, 1)]) is False
    assert RateLimitHit.objects.filter(cle=ip).count() == 0


def test_it_forgets_what_left_the_window():
    key = rate_key("verifier-ip", IP)
    assert rate_limit_hit(limits=[(key, 1)])
    RateLimitHit.objects.update(cree_le=timezone.now() - timedelta(minutes=61))
    assert rate_limit_hit(limits=[(key, 1)])
    assert RateLimitHit.objects.count() == 1
