"""Failed logins are throttled per account: then even the right password is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.comptes.models import SecurityEvent
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(
        "/comptes/connexion/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, email, times, ip="203.0.113.7"):
    for _ in range(times):
        assert attempt(client, email, "pas-le-bon", ip=ip).status_code == 200


def test_it_refuses_the_right_password_after_five_failures(client, citizen, password):
    fail(client, citizen.email, 5)
    response = attempt(client, citizen.email, password)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html
    assert "réessayez dans 15 minutes" in html
    assert int(response["Retry-After"]) > 14 * 60
    assert "_auth_user_id" not in client.session
    assert_accessible(response)
    event = SecurityEvent.objects.get(kind="login_throttled")
    assert event.user == citizen
    assert event.details == {"email": citizen.email, "scope": "account"}
    # From another address too: the counter is the account's.
    assert attempt(client, citizen.email, password, ip="198.51.100.9").status_code == 429


def test_it_does_not_check_the_password_while_throttled(client, citizen, password, monkeypatch):
    fail(client, citizen.email, 5)
    from django.contrib.auth import backends

    def explode(*args, **kwargs):
        raise AssertionError("the password must not be checked")

    monkeypatch.setattr(backends.ModelBackend, "authenticate", explode)
    assert attempt(client, citizen.email, password).status_code == 429


def test_it_lets_the_account_in_again_when_failures_get_old(client, citizen, password):
    fail(client, citizen.email, 5)
    assert attempt(client, citizen.email, password).status_code == 429
    oldest = SecurityEvent.objects.filter(kind="login_failed").order_by("created_at").first()
    SecurityEvent.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    assert attempt(client, citizen.email, password).status_code == 302


def test_it_counts_again_from_a_successful_login(client, citizen, password):
    fail(client, citizen.email, 4)
    assert attempt(client, citizen.email, password).status_code == 302
    client.post("/comptes/deconnexion/")
    fail(client, citizen.email, 4)
    assert attempt(client, citizen.email, password).status_code == 302


def test_it_throttles_an_unknown_address_the_same_way(client):
    fail(client, "Personne@Example.fr", 5)
    response = attempt(client, "personne@example.fr", "pas-le-bon")
    # Same answer as for a real account: throttling does not reveal which addresses exist.
    assert response.status_code == 429
    assert "réessayez dans 15 minutes" in response.content.decode()


def test_it_reads_its_limits_from_the_settings(client, citizen, password, settings):
    settings.LOGIN_THROTTLE_ACCOUNT_FAILURES = 2
    settings.LOGIN_THROTTLE_WINDOW = 60
    fail(client, citizen.email, 2)
    response = attempt(client, citizen.email, password)
    assert response.status_code == 429
    assert "réessayez dans 1 minute." in response.content.decode()
