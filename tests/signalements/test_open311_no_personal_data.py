"""No personal data ever leaves through the API: no reporter's email, name or phone, no hidden,
unconfirmed or held report, no hidden photo, no internal note."""

import io

import pytest

from socle.signalements.models import Reglages, Signalement
from socle.signalements.services import (
    photo_hide,
    photos_process,
    signalement_hide,
    signalement_note,
    signalement_reply,
)
from tests.helpers.open311 import V2, api_key, get, jpeg, report
from tests.signalements.conftest import BORDEAUX, PESSAC

SECRETS = [
    "jeanne.secrete@example.fr",
    "Jeanne",
    "Secrète",
    "06 12 34 56 78",
    "camille.citoyenne@example.fr",
    "Persona",
    "Note interne confidentielle",
]


@pytest.fixture
def world(client, demo_members, citizen, agent_voirie_sud):
    shown = report(PESSAC, auteur=citizen, photos=photos_process([io.BytesIO(jpeg())]))
    signalement_note(
        acting_user=agent_voirie_sud, signalement=shown, texte="Note interne confidentielle"
    )
    signalement_reply(acting_user=agent_voirie_sud, signalement=shown, texte="Vu.")
    posted = client.post(
        f"{V2}requests.json",
        {
            "api_key": api_key(),
            "service_code": "nid-de-poule",
            "lat": PESSAC[0],
            "long": PESSAC[1],
            "description": "Trou signalé par une application.",
            "email": "jeanne.secrete@example.fr",
            "first_name": "Jeanne",
            "last_name": "Secrète",
            "phone": "06 12 34 56 78",
        },
    )
    assert posted.status_code == 200, posted.content
    hidden = report(PESSAC, auteur=citizen, description="Masqué")
    signalement_hide(acting_user=agent_voirie_sud, signalement=hidden, motif="Injurieux")
    hidden_photo = report(PESSAC, auteur=citizen, photos=photos_process([io.BytesIO(jpeg())]))
    photo_hide(acting_user=agent_voirie_sud, photo=hidden_photo.photos.get())
    unconfirmed = report(PESSAC, email="anonyme@example.fr", description="Pas confirmé")
    Reglages.objects.create(membre=demo_members.bordeaux, moderation_prealable=True)
    held = report(BORDEAUX, code="eclairage", auteur=citizen, description="En attente")
    assert held.publie_le is None and unconfirmed.publie_le is None
    return shown, posted.json()[0]["service_request_id"], hidden, hidden_photo, unconfirmed, held


def test_it_never_shows_personal_data_or_hidden_things(client, world):
    shown, posted, hidden, hidden_photo, unconfirmed, held = world
    bodies = []
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{shown.reference}", f"requests/{posted}"):
            response, _data = get(client, path, fmt)
            assert response.status_code == 200
            bodies.append(response.content.decode())
        response, _data = get(client, "servicerequestupdates", fmt)
        bodies.append(response.content.decode())
    for body in bodies:
        for secret in SECRETS:
            assert secret not in body
        for absent in (hidden, unconfirmed, held):
            assert absent.reference not in body
        assert "Masqué" not in body and "Injurieux" not in body

    listed, _data = get(client, "requests", "json")
    by_id = {item["service_request_id"]: item for item in listed.json()}
    assert set(by_id) == {shown.reference, posted, hidden_photo.reference}
    assert by_id[hidden_photo.reference]["media_url"] is None
    assert by_id[shown.reference]["media_url"].endswith(f"/{shown.photos.get().pk}/image.jpg")
    assert Signalement.objects.get(reference=posted).auteur_email == "jeanne.secrete@example.fr"


def test_it_answers_404_for_a_hidden_or_held_request(client, world):
    _shown, _posted, hidden, _photo, unconfirmed, held = world
    for absent in (hidden, unconfirmed, held):
        for fmt in ("json", "xml"):
            response, _data = get(client, f"requests/{absent.reference}", fmt)
            assert response.status_code == 404
