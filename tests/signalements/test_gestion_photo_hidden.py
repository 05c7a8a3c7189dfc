import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from socle.signalements.selectors import photos_public
from socle.signalements.services import photos_process, signalement_create
from tests.signalements.conftest import PESSAC


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("trou.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_it_hides_one_photo_from_the_public(client, demo_members, citizen, agent_voirie_sud):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        photos=photos_process([_jpeg(), _jpeg()]),
    )
    first, second = list(report.photos.all())
    client.force_login(agent_voirie_sud)
    page = client.get(reverse("gestion:signalements:detail", args=[slug, report.reference]))
    assert f"/signalements/photos/{first.pk}/vignette.jpg" in page.content.decode()

    url = reverse("gestion:signalements:action", args=[slug, report.reference, "masquer-photo"])
    assert client.post(url, {"photo": first.pk}).status_code == 302
    assert list(photos_public(report)) == [second]


def test_it_refuses_a_photo_of_another_report(client, demo_members, citizen, agent_voirie_sud):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    other = signalement_create(
        categorie_code="nid-de-poule",
        description="Autre.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        photos=photos_process([_jpeg()]),
    )
    photo = other.photos.get()
    client.force_login(agent_voirie_sud)
    url = reverse("gestion:signalements:action", args=[slug, report.reference, "masquer-photo"])
    assert client.post(url, {"photo": photo.pk}).status_code == 404
    photo.refresh_from_db()
    assert photo.masque_le is None
