from django.urls import reverse

from socle.signalements.services import signalement_create
from tests.signalements.conftest import SAINT_EMILION


def test_it_lists_non_members_reports_with_the_mairie_for_the_operateur_only(
    client, demo_members, citizen, operateur, admin_pessac
):
    report = signalement_create(
        categorie_code="eclairage",
        description="Lampadaire éteint.",
        lat=SAINT_EMILION[0],
        lon=SAINT_EMILION[1],
        auteur=citizen,
    )
    url = reverse("signalements-site:hors_membres")
    assert url == "/gestion/signalements/hors-membres/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(admin_pessac)
    assert client.get(url).status_code == 403
    client.force_login(operateur)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert report.reference in html
    assert "Saint-Émilion" in html
    assert "Aucun envoi" in html
    assert citizen.email not in html
    assert client.post(url).status_code == 405
