from django.urls import reverse

from socle.signalements.models import Reglages, Signalement
from socle.signalements.selectors import signalement_public
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_assigns_sets_priority_moves_the_point_and_publishes_a_held_report(
    client, demo_members, citizen, agent_voirie_sud
):
    metropole = demo_members.metropole
    Reglages.objects.create(membre=metropole, moderation_prealable=True)
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        position_approchee=True,
    )
    assert signalement_public(report.reference) is None
    client.force_login(agent_voirie_sud)
    detail = reverse("gestion:signalements:detail", args=[metropole.slug, report.reference])
    html = client.get(detail).content.decode()
    assert "Non publié (à relire)" in html and "Position approchée" in html

    def post(action, data=None):
        url = reverse(
            "gestion:signalements:action", args=[metropole.slug, report.reference, action]
        )
        return client.post(url, data or {})

    assert post("attribuer", {"agent": agent_voirie_sud.pk}).status_code == 302
    assert post("priorite", {"priorite": "3"}).status_code == 302
    assert post("position", {"lat": "44.8070", "lon": "-0.6320"}).status_code == 302
    assert post("publier").status_code == 302
    report.refresh_from_db()
    assert report.assigne_a == agent_voirie_sud
    assert report.priorite == Signalement.Priorite.HAUTE
    assert (report.lat, report.lon) == (44.8070, -0.6320)
    assert not report.position_approchee
    assert signalement_public(report.reference) is not None
