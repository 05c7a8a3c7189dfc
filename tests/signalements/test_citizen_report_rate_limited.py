"""Anonymous reports are limited per IP and per email: over the limit, a French 429 page and
nothing created."""

from socle.signalements.models import Signalement
from tests.signalements.citizen_helpers import report_data


def test_it_limits_anonymous_reports_per_ip(client, demo_members, settings):
    settings.SIGNALEMENTS_LIMITE_IP_HEURE = 2
    for n in range(2):
        response = client.post("/signaler/", report_data(email=f"p{n}@example.fr"))
        assert response.status_code == 200, response.text

    refused = client.post("/signaler/", report_data(email="p9@example.fr"))

    assert refused.status_code == 429
    assert "Trop d’envois depuis une heure" in refused.text
    assert Signalement.objects.count() == 2


def test_it_limits_anonymous_reports_per_email_whatever_the_ip(client, demo_members, settings):
    settings.SIGNALEMENTS_LIMITE_EMAIL_HEURE = 1
    first = client.post("/signaler/", report_data(email="meme@example.fr"), REMOTE_ADDR="10.0.0.1")
    assert first.status_code == 200

    refused = client.post(
        "/signaler/", report_data(email="Meme@Example.fr"), REMOTE_ADDR="10.0.0.2"
    )

    assert refused.status_code == 429
    assert Signalement.objects.count() == 1
