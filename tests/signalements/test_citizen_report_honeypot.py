"""A filled honeypot field: the robot is answered as a person would be, nothing is created."""

from socle.core.models import OutboxMessage
from socle.signalements.models import Signalement
from tests.signalements.citizen_helpers import report_data


def test_it_answers_a_robot_like_a_person_and_creates_nothing(client, demo_members):
    page = client.get("/signaler/")
    assert 'name="site_web"' in page.text
    assert 'tabindex="-1"' in page.text and 'autocomplete="off"' in page.text

    response = client.post(
        "/signaler/",
        report_data(email="robot@example.fr", site_web="http://spam.example"),
    )

    assert response.status_code == 200
    assert "Confirmez votre signalement avec le lien envoyé à robot@example.fr" in response.text
    assert not Signalement.objects.exists()
    assert not OutboxMessage.objects.exists()
