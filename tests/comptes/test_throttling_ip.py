"""Failed logins are throttled per IP address, whatever the accounts tried."""

import pytest

from socle.comptes.models import SecurityEvent

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip, **extra):
    return client.post(
        "/comptes/connexion/", {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_it_refuses_an_address_after_twenty_failures(client, citizen, password):
    for number in range(20):
        response = attempt(client, f"inconnu{number}@example.fr", "pas-le-bon", "203.0.113.7")
        assert response.status_code == 200
    # Even the right password of a real account, from that address.
    response = attempt(client, citizen.email, password, "203.0.113.7")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind="login_throttled")
    assert event.details["scope"] == "ip"
    assert event.ip == "203.0.113.7"
    # Another address is not concerned.
    assert attempt(client, citizen.email, password, "198.51.100.9").status_code == 302


def _three_failures_forwarded_for(client, prefix: str) -> None:
    """Three failed logins from the proxy 10.0.0.2, forwarded for `prefix`192.0.2.0 to .2."""
    for number in range(3):
        attempt(
            client,
            f"inconnu{number}@example.fr",
            "x",
            "10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{prefix}192.0.2.{number}",
        )


def test_it_trusts_forwarded_addresses_only_behind_a_known_proxy(client, citizen, settings):
    settings.LOGIN_THROTTLE_IP_FAILURES = 3
    _three_failures_forwarded_for(client, "")
    # Without SOCLE_PROXY_COUNT the header is ignored: the failures count for 10.0.0.2.
    assert set(SecurityEvent.objects.values_list("ip", flat=True)) == {"10.0.0.2"}
    assert attempt(client, "a@example.fr", "x", "10.0.0.2").status_code == 429

    SecurityEvent.objects.all().delete()
    settings.SOCLE_PROXY_COUNT = 1
    _three_failures_forwarded_for(client, "spoofed, ")
    assert set(SecurityEvent.objects.values_list("ip", flat=True)) == {
        "192.0.2.0",
        "192.0.2.1",
        "192.0.2.2",
    }
    assert (
        attempt(client, "a@example.fr", "x", "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1")
    ).status_code == 200
