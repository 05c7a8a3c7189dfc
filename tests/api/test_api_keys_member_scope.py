"""A key of Pessac reads Pessac's plots, and nothing of Bordeaux; a key needs the scope."""

import pytest

from tests.helpers.api import make_key, parcelles_url, with_jardins
from tests.toy_module.models import Parcelle

pytestmark = pytest.mark.django_db


def test_it_serves_the_member_of_the_key(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    Parcelle.objects.create(membre=pessac, nom="Parcelle des Échoppes")
    _, plaintext = make_key(pessac)
    response = client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert [row["nom"] for row in response.json()["results"]] == ["Parcelle des Échoppes"]


def test_it_accepts_the_key_in_x_api_key_too(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    _, plaintext = make_key(pessac)
    response = client.get(parcelles_url(pessac), HTTP_X_API_KEY=plaintext)
    assert response.status_code == 200


def test_it_refuses_another_members_data(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    bordeaux = with_jardins(demo_members.bordeaux)
    Parcelle.objects.create(membre=bordeaux, nom="Jardin des Chartrons")
    _, plaintext = make_key(pessac)
    response = client.get(parcelles_url(bordeaux), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "membre_non_autorise"
    assert "Chartrons" not in response.content.decode()


def test_it_lets_a_platform_key_read_every_member(client, demo_members):
    bordeaux = with_jardins(demo_members.bordeaux)
    _, plaintext = make_key(None)
    response = client.get(parcelles_url(bordeaux), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200


def test_it_refuses_a_key_without_the_scope(client, demo_members):
    pessac = with_jardins(demo_members.pessac)
    key, plaintext = make_key(pessac)
    # A key whose scopes no longer include the endpoint's (as if the scope were renamed).
    key.scopes = ["autre.lire"]
    key.save(update_fields=["scopes"])
    response = client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "portee_insuffisante"
    assert error["details"] == {"portee_requise": "jardins.lire"}


def test_it_stops_the_keys_of_a_suspended_member(client, demo_members):
    from socle.membres.services import membre_update

    pessac = with_jardins(demo_members.pessac)
    _, plaintext = make_key(pessac)
    assert client.get(parcelles_url(pessac), HTTP_X_API_KEY=plaintext).status_code == 200
    membre_update(
        acting_user=None, membre=pessac, couleur=pessac.couleur, modules=["jardins"], active=False
    )
    response = client.get(parcelles_url(pessac), HTTP_X_API_KEY=plaintext)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "membre_non_autorise"
