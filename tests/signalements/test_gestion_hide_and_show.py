from django.urls import reverse

from socle.signalements.selectors import signalement_public
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_hides_a_report_with_a_reason_and_shows_it_again(
    client, demo_members, citizen, agent_voirie_sud
):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    client.force_login(agent_voirie_sud)
    hide = reverse("gestion:signalements:action", args=[slug, report.reference, "masquer"])
    assert client.post(hide, {"motif": ""}).status_code == 400
    assert signalement_public(report.reference) is not None

    assert client.post(hide, {"motif": "Propos injurieux."}).status_code == 302
    assert signalement_public(report.reference) is None
    page = client.get(reverse("gestion:signalements:detail", args=[slug, report.reference]))
    assert "Propos injurieux." in page.content.decode()
    assert "Masqué" in page.content.decode()

    show = reverse("gestion:signalements:action", args=[slug, report.reference, "demasquer"])
    assert client.post(show).status_code == 302
    assert signalement_public(report.reference) is not None
