from django.urls import reverse

from socle.signalements.models import Signalement
from socle.signalements.selectors import signalement_public
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_publishes_the_redacted_text_and_keeps_the_original_for_agents(
    client, demo_members, citizen, agent_voirie_sud
):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou devant chez M. Dupont, 06 12 34 56 78.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    client.force_login(agent_voirie_sud)
    url = reverse("gestion:signalements:action", args=[slug, report.reference, "expurger"])
    assert client.post(url, {"description": "Trou devant une maison."}).status_code == 302

    public = signalement_public(report.reference)
    assert public.description == "Trou devant une maison."
    assert "Dupont" not in public.description
    page = client.get(reverse("gestion:signalements:detail", args=[slug, report.reference]))
    html = page.content.decode()
    assert "Expurgé de données personnelles" in html
    # The original is kept for the retention period, but no screen shows it again.
    assert "06 12 34 56 78" not in html
    assert Signalement.objects.get(pk=report.pk).description_originale.endswith("06 12 34 56 78.")
