from django.urls import reverse

from socle.signalements.models import Signalement
from socle.signalements.services import signalement_create
from tests.signalements.conftest import BORDEAUX, PESSAC


def test_it_refuses_an_agent_of_bordeaux_on_the_metropoles_pages(
    client, demo_members, citizen, agent_bordeaux
):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    client.force_login(agent_bordeaux)
    for name in ("file", "carte", "tableau", "export", "reglages"):
        assert client.get(reverse(f"gestion:signalements:{name}", args=[slug])).status_code == 403
    assert (
        client.get(
            reverse("gestion:signalements:detail", args=[slug, report.reference])
        ).status_code
        == 403
    )
    url = reverse("gestion:signalements:action", args=[slug, report.reference, "statut"])
    assert client.post(url, {"statut": "resolu"}).status_code == 403
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.NOUVEAU


def test_it_answers_404_for_a_report_of_another_member(
    client, demo_members, citizen, agent_bordeaux
):
    # A street-light in Bordeaux is Bordeaux's; a pothole there is the Métropole's.
    metropole_report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=BORDEAUX[0],
        lon=BORDEAUX[1],
        auteur=citizen,
    )
    assert metropole_report.membre == demo_members.metropole
    slug = demo_members.bordeaux.slug
    client.force_login(agent_bordeaux)
    detail = reverse("gestion:signalements:detail", args=[slug, metropole_report.reference])
    assert client.get(detail).status_code == 404
    url = reverse("gestion:signalements:action", args=[slug, metropole_report.reference, "note"])
    assert client.post(url, {"note": "Intrus."}).status_code == 404
    assert not metropole_report.evenements.filter(kind="note").exists()
