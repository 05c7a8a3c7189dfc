"""Public Open311 answers are reused while nothing changed, and never once something did."""

import io

from socle.signalements.models import Photo
from socle.signalements.services import (
    photo_hide,
    photos_process,
    signalement_hide,
    signalement_status_set,
)
from tests.helpers.open311 import jpeg, report
from tests.signalements.conftest import PESSAC

PATH = "/open311/v2/requests.json"


def _statuses(client) -> dict[str, str]:
    return {row["service_request_id"]: row["status"] for row in client.get(PATH).json()}


def test_it_shows_a_change_at_once_despite_the_cache(
    client, demo_members, citizen, agent_voirie_sud
):
    filed = report(PESSAC, auteur=citizen)
    assert _statuses(client) == {filed.reference: "open"}
    signalement_status_set(acting_user=agent_voirie_sud, signalement=filed, statut="resolu")
    assert _statuses(client) == {filed.reference: "closed"}
    second = report(PESSAC, auteur=citizen)
    assert set(_statuses(client)) == {filed.reference, second.reference}
    signalement_hide(acting_user=agent_voirie_sud, signalement=second, motif="Injurieux")
    assert set(_statuses(client)) == {filed.reference}


def test_it_stops_showing_a_photo_hidden_after_a_read(
    client, demo_members, citizen, agent_voirie_sud
):
    filed = report(PESSAC, auteur=citizen, photos=photos_process([io.BytesIO(jpeg())]))
    [row] = client.get(PATH).json()
    assert row["media_url"]
    photo_hide(acting_user=agent_voirie_sud, photo=Photo.objects.get(signalement=filed))
    [row] = client.get(PATH).json()
    assert not row["media_url"]


def test_it_answers_304_to_a_client_that_has_the_current_answer(
    client, demo_members, citizen, agent_voirie_sud
):
    filed = report(PESSAC, auteur=citizen)
    first = client.get(PATH)
    etag = first["ETag"]
    again = client.get(PATH, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    signalement_status_set(acting_user=agent_voirie_sud, signalement=filed, statut="en_cours")
    changed = client.get(PATH, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
