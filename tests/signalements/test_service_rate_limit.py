"""Anonymous writes are limited per hour, per IP and per email, in rows every process shares;
the count forgets what is more than an hour old."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from socle.core.models import RateLimitHit
from socle.signalements.services import anonymous_write_check
from tests.helpers.task_workers import worker_env


@pytest.fixture
def limits(settings):
    settings.SIGNALEMENTS_LIMITE_IP_HEURE = 3
    settings.SIGNALEMENTS_LIMITE_EMAIL_HEURE = 2
    return settings


def _request(ip="203.0.113.7", forwarded=""):
    meta = {"REMOTE_ADDR": ip}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/signaler/", **meta)


def test_it_refuses_the_write_after_the_limit_per_ip(db, limits):
    for i in range(3):
        anonymous_write_check(request=_request(), email=f"personne{i}@example.fr")
    with pytest.raises(ValidationError, match="Trop d’envois"):
        anonymous_write_check(request=_request(), email="encore@example.fr")
    # Another address is not concerned.
    anonymous_write_check(request=_request("198.51.100.1"), email="autre@example.fr")


def test_it_refuses_the_write_after_the_limit_per_email_whatever_its_case(db, limits):
    anonymous_write_check(request=_request("198.51.100.1"), email="Camille@example.fr")
    anonymous_write_check(request=_request("198.51.100.2"), email="camille@example.fr")
    with pytest.raises(ValidationError):
        anonymous_write_check(request=_request("198.51.100.3"), email=" CAMILLE@example.fr")
    # The refused write is not counted, and rows keep no address.
    assert RateLimitHit.objects.count() == 4
    assert not RateLimitHit.objects.filter(cle__icontains="camille").exists()


def test_it_counts_each_client_behind_the_reverse_proxy(db, limits):
    limits.SOCLE_PROXY_COUNT = 1
    for i in range(3):
        anonymous_write_check(
            request=_request("10.0.0.1", forwarded="203.0.113.7"), email=f"p{i}@example.fr"
        )
    # Another citizen, through the same proxy, may still write.
    anonymous_write_check(
        request=_request("10.0.0.1", forwarded="203.0.113.8"), email="voisin@example.fr"
    )
    with pytest.raises(ValidationError):
        anonymous_write_check(
            request=_request("10.0.0.1", forwarded="203.0.113.7"), email="p9@example.fr"
        )


def test_it_forgets_writes_older_than_an_hour(db, limits):
    for _ in range(2):
        anonymous_write_check(request=None, email="camille@example.fr")
    with pytest.raises(ValidationError):
        anonymous_write_check(request=None, email="camille@example.fr")
    RateLimitHit.objects.update(cree_le=timezone.now() - timedelta(minutes=61))
    anonymous_write_check(request=None, email="camille@example.fr")


def test_it_shares_the_count_with_another_process(transactional_db, limits):
    script = (
        "from socle.signalements.services import anonymous_write_check\n"
        "for _ in range(2):\n"
        "    anonymous_write_check(request=None, email='camille@example.fr')\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "socle", "shell", "-c", script],
        env=worker_env(SIGNALEMENTS_LIMITE_EMAIL_HEURE="2"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert RateLimitHit.objects.count() == 2
    with pytest.raises(ValidationError):
        anonymous_write_check(request=None, email="camille@example.fr")
