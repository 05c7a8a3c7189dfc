from django.urls import reverse

from socle.journal.models import PersonalDataAccess
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_shows_the_contact_details_only_on_request_and_journals_it(
    client, demo_members, citizen, agent_voirie_sud
):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        telephone="05 56 00 00 00",
    )
    client.force_login(agent_voirie_sud)
    page = client.get(reverse("gestion:signalements:detail", args=[slug, report.reference]))
    html = page.content.decode()
    assert "Voir les coordonnées" in html
    assert citizen.email not in html
    assert "05 56 00 00 00" not in html
    assert PersonalDataAccess.objects.count() == 0

    url = reverse("gestion:signalements:coordonnees", args=[slug, report.reference])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert citizen.email in html
    assert "05 56 00 00 00" in html
    access = PersonalDataAccess.objects.get()
    assert access.citizen_id == citizen.pk
    assert access.agent_id == agent_voirie_sud.pk
