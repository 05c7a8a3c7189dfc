"""Past its rate per minute, a key gets a 429 with Retry-After; other keys are not affected."""

import pytest

from socle.api.models import ApiKey
from tests.helpers.api import make_key, parcelles_url, with_jardins

pytestmark = pytest.mark.django_db


def test_it_limits_a_key_to_its_rate(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    key, plaintext = make_key(pessac, rate=3)
    _, other = make_key(pessac, rate=3)
    url = parcelles_url(pessac)
    statuses = [
        client.get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 200]
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "trop_de_requetes"
    assert error["details"] == {"limite_par_minute": 3}
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_it_opens_a_new_window_after_a_minute(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    key, plaintext = make_key(pessac, rate=1)
    url = parcelles_url(pessac)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 429
    # The window started over a minute ago.
    key.refresh_from_db()
    ApiKey.objects.filter(pk=key.pk).update(
        window_started_at=key.window_started_at.replace(year=key.window_started_at.year - 1)
    )
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200
