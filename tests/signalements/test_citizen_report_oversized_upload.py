"""Three photos of 10 MB each and more: a French 413, never a 500; one photo over its limit:
the form's error, in French."""

import io

from socle.signalements.models import Signalement
from tests.signalements.citizen_helpers import report_data


def _big(name: str, size: int) -> io.BytesIO:
    data = io.BytesIO(b"\xff\xd8\xff\xe0" + b"\0" * (size - 4))
    data.name = name
    return data


def test_it_answers_413_in_french_to_an_oversized_upload(client, demo_members, citizen):
    client.force_login(citizen)
    ten = 10 * 1024 * 1024
    photos = [_big(f"p{n}.jpg", ten + 200_000) for n in range(4)]

    response = client.post("/signaler/", {**report_data(), "photos": photos})

    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text
    assert not Signalement.objects.exists()


def test_it_refuses_one_photo_over_its_limit_with_a_message(client, demo_members, citizen):
    client.force_login(citizen)
    response = client.post(
        "/signaler/", {**report_data(), "photos": [_big("enorme.jpg", 10 * 1024 * 1024 + 10)]}
    )

    assert response.status_code == 400
    assert "enorme.jpg" in response.text
    assert not Signalement.objects.exists()
