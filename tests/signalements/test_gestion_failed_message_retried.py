from django.urls import reverse

from socle.core.outbox import MAX_ATTEMPTS
from socle.signalements.models import Envoi
from socle.signalements.selectors import transmission_state
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_shows_a_failed_message_and_sends_it_again(
    client, demo_members, citizen, agent_voirie_sud, smtp_server
):
    slug = demo_members.metropole.slug
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    envoi = Envoi.objects.get(signalement=report, destinataire=Envoi.Destinataire.SERVICE)
    message = envoi.message
    message.attempts = MAX_ATTEMPTS
    message.save()
    assert transmission_state(report) == "echec"

    client.force_login(agent_voirie_sud)
    queue = client.get(reverse("gestion:signalements:file", args=[slug])).content.decode()
    assert "Transmission en échec" in queue
    page = client.get(reverse("gestion:signalements:detail", args=[slug, report.reference]))
    assert "Relancer" in page.content.decode()

    url = reverse("gestion:signalements:action", args=[slug, report.reference, "relancer"])
    assert client.post(url, {"envoi": envoi.pk}).status_code == 302
    smtp_server.clear()
    smtp_server.wait_for(1)
    assert transmission_state(report) == "transmis"


def test_it_refuses_to_retry_a_message_that_did_not_fail(
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
    envoi = Envoi.objects.get(signalement=report, destinataire=Envoi.Destinataire.SERVICE)
    client.force_login(agent_voirie_sud)
    url = reverse("gestion:signalements:action", args=[slug, report.reference, "relancer"])
    response = client.post(url, {"envoi": envoi.pk})
    assert response.status_code == 400
    assert "Ce message n’est pas en échec." in response.content.decode()
