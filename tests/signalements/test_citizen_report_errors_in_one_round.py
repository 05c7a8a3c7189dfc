"""Every field's error at once, in the kit's error summary, with a 400 and nothing created."""

import io

from socle.signalements.models import Signalement
from tests.signalements.citizen_helpers import report_data


def test_it_shows_every_error_in_one_round(client, demo_members):
    not_a_photo = io.BytesIO(b"%PDF-1.4 not a photo")
    not_a_photo.name = "facture.pdf"

    response = client.post(
        "/signaler/",
        report_data(
            categorie="",
            description="x" * 4001,
            email="pas-une-adresse",
            photos=[not_a_photo],
        ),
    )

    assert response.status_code == 400
    text = response.text
    assert "Le formulaire contient des erreurs" in text
    assert "<title>Erreur :" in text
    summary = text.split('class="error-summary', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_categorie_0"' in summary
    assert 'href="#id_description"' in summary
    assert 'href="#id_email"' in summary
    assert 'href="#id_photos"' in summary
    assert "facture.pdf" in summary
    assert not Signalement.objects.exists()


def test_it_asks_for_the_place_and_the_email_when_nothing_is_given(client, demo_members):
    response = client.post("/signaler/", {"etape": "envoyer", "description": "Un trou."})

    assert response.status_code == 400
    summary = response.text.split('class="error-summary', 1)[1].split("</div>", 1)[0]
    assert "Indiquez le lieu" in summary
    assert "Donnez votre adresse électronique" in summary
