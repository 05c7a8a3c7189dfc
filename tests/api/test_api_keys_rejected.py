"""No key, a malformed, unknown or revoked key: a 401 in the API's documented error shape."""

import pytest

from socle.api.services import api_key_revoke
from tests.helpers.api import make_key, parcelles_url, with_jardins

pytestmark = pytest.mark.django_db


def _error(response, code: str) -> dict:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == 'Bearer realm="socle"'
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_it_asks_for_a_key(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    _error(client.get(parcelles_url(pessac)), "cle_manquante")


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "socle_abc", "Bearer socle_"],
)
def test_it_rejects_a_malformed_header(client, demo_members, header):
    pessac = with_jardins(demo_members.pessac)
    _error(client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=header), "cle_invalide")


def test_it_rejects_a_key_with_a_wrong_secret(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    _, plaintext = make_key(pessac)
    forged = plaintext[:-4] + ("AAAA" if not plaintext.endswith("AAAA") else "BBBB")
    response = client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=f"Bearer {forged}")
    _error(response, "cle_invalide")


def test_it_rejects_a_revoked_key(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    key, plaintext = make_key(pessac)
    assert (
        client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code
        == 200
    )
    api_key_revoke(acting_user=demo_members.admin_pessac, key=key)
    response = client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    _error(response, "cle_revoquee")
