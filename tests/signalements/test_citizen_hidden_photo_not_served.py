"""A hidden photo, or a photo of a report not public, is a 404 for the public; the agent who
handles the report still sees it."""

from socle.signalements.services import (
    photo_hide,
    photos_process,
    signalement_create,
)
from tests.signalements.citizen_helpers import photo_with_gps
from tests.signalements.conftest import PESSAC


def test_it_hides_a_hidden_photo_from_the_public_not_from_the_agent(
    client, demo_members, citizen, agent_voirie_sud, agent_pessac
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        photos=photos_process([photo_with_gps(), photo_with_gps("b.jpg")]),
    )
    hidden, shown = report.photos.all()
    photo_hide(acting_user=agent_voirie_sud, photo=hidden)

    assert client.get(f"/signalements/photos/{shown.pk}/vignette.jpg").status_code == 200
    assert client.get(f"/signalements/photos/{hidden.pk}/image.jpg").status_code == 404
    assert client.get(f"/signalements/photos/{hidden.pk}/vignette.jpg").status_code == 404
    assert client.get(f"/signalements/photos/{shown.pk}/autre.jpg").status_code == 404
    page = client.get(f"/signalements/{report.reference}/")
    assert f"/photos/{hidden.pk}/" not in page.text and f"/photos/{shown.pk}/" in page.text

    client.force_login(agent_pessac)
    assert client.get(f"/signalements/photos/{hidden.pk}/image.jpg").status_code == 404
    client.force_login(agent_voirie_sud)
    served = client.get(f"/signalements/photos/{hidden.pk}/image.jpg")
    assert served.status_code == 200 and "no-store" in served["Cache-Control"]


def test_it_serves_no_photo_of_an_unconfirmed_report(client, demo_members):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        email="x@example.fr",
        photos=photos_process([photo_with_gps()]),
    )
    photo = report.photos.get()
    assert client.get(f"/signalements/photos/{photo.pk}/image.jpg").status_code == 404
