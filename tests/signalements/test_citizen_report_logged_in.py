"""A logged-in citizen reports a pothole on the map with a photo: told who acts, and the served
photo carries no GPS position."""

import io

from PIL import Image

from socle.signalements.models import Signalement
from tests.signalements.citizen_helpers import photo_with_gps, report_data


def test_it_files_a_report_with_a_photo_and_serves_it_without_gps(
    client, demo_members, citizen, smtp_server
):
    client.force_login(citizen)
    page = client.get("/signaler/")
    assert page.status_code == 200
    assert 'name="lat"' in page.text and 'name="commune"' in page.text

    response = client.post("/signaler/", {**report_data(), "photos": [photo_with_gps()]})

    assert response.status_code == 200, response.text
    report = Signalement.objects.get()
    assert "Votre signalement est transmis à" in response.text
    assert "Bordeaux Métropole — Pôle territorial Sud — voirie" in response.text
    assert report.reference in response.text
    assert f"/signalements/{report.reference}/" in response.text
    assert report.auteur == citizen and report.public and not report.position_approchee

    photo = report.photos.get()
    served = client.get(f"/signalements/photos/{photo.pk}/image.jpg")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "max-age" in served["Cache-Control"]
    body = b"".join(served.streaming_content) if served.streaming else served.content
    assert b"SERIAL-123456" not in body
    assert not Image.open(io.BytesIO(body)).getexif().get_ifd(0x8825)

    suivi = client.get(f"/signalements/{report.reference}/")
    assert suivi.status_code == 200
    assert f"/signalements/photos/{photo.pk}/vignette.jpg" in suivi.text

    espace = client.get("/comptes/espace/")
    assert "Mes signalements" in espace.text and report.reference in espace.text
