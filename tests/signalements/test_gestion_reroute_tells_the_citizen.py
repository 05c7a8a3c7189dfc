from django.urls import reverse

from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_reroutes_tells_the_citizen_and_leaves_the_first_agents_queue(
    client, demo_members, citizen, agent_voirie_sud, agent_voirie_nord, smtp_server
):
    metropole = demo_members.metropole
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou devant la mairie.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    smtp_server.wait_for(2)
    smtp_server.clear()
    target = metropole.services.get(nom="Direction de la voirie")
    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action", args=[metropole.slug, report.reference, "reorienter"]
    )
    response = client.post(url, {"service": target.pk, "motif": "Route départementale."})
    # Out of the southern agent's queue: back to the queue, not to a page he may not see.
    assert response.status_code == 302
    assert response["Location"] == reverse("gestion:signalements:file", args=[metropole.slug])
    queue = client.get(response["Location"]).content.decode()
    assert report.reference not in queue

    report.refresh_from_db()
    assert report.service == target
    mails = smtp_server.wait_for(2)
    to_citizen = [m for m in mails if m["To"] == citizen.email]
    assert len(to_citizen) == 1
    assert "Bordeaux Métropole — Direction de la voirie" in str(to_citizen[0]["Subject"])

    client.force_login(agent_voirie_nord)
    queue = client.get(reverse("gestion:signalements:file", args=[metropole.slug]))
    assert report.reference in queue.content.decode()


def test_it_lists_the_services_of_every_member_handling_reports(
    client, demo_members, citizen, agent_voirie_sud
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    client.force_login(agent_voirie_sud)
    response = client.get(
        reverse("gestion:signalements:detail", args=[demo_members.metropole.slug, report.reference])
    )
    labels = [
        label for _v, label in response.context["forms"]["reorienter"].fields["service"].choices
    ]
    assert "Pessac — Propreté et espaces verts" in labels
    assert "Bordeaux Métropole — Direction de la voirie" in labels


def test_it_needs_a_reason_to_reroute(client, demo_members, citizen, agent_voirie_sud):
    metropole = demo_members.metropole
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    before = report.service
    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action", args=[metropole.slug, report.reference, "reorienter"]
    )
    target = metropole.services.get(nom="Direction de la voirie")
    response = client.post(url, {"service": target.pk, "motif": "  "})
    assert response.status_code == 400
    assert "Motif de la réorientation" in response.content.decode()
    report.refresh_from_db()
    assert report.service == before
