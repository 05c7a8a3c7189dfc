from django.urls import reverse

from socle.membres.models import AuditEvent
from socle.signalements.models import Evenement, Signalement
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def _pothole(citizen):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Trou devant la mairie.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )


def test_it_changes_the_status_and_emails_the_followers(
    client, demo_members, citizen, agent_voirie_sud, smtp_server
):
    report = _pothole(citizen)
    smtp_server.wait_for(2)
    smtp_server.clear()
    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action",
        args=[demo_members.metropole.slug, report.reference, "statut"],
    )
    response = client.post(url, {"statut": "programme", "texte": "Réparation jeudi."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/signalements/{report.reference}/")
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.PROGRAMME
    assert report.premiere_reponse_le is not None
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == citizen.email
    assert "Programmé" in str(mail["Subject"])
    assert "Réparation jeudi." in mail.get_content()
    page = client.get(response["Location"]).content.decode()
    assert "Le statut a été changé." in page


def test_it_acknowledges_with_one_button(client, demo_members, citizen, agent_voirie_sud):
    report = _pothole(citizen)
    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action",
        args=[demo_members.metropole.slug, report.reference, "prendre-en-compte"],
    )
    assert client.post(url).status_code == 302
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.PRIS_EN_COMPTE


def test_it_refuses_a_rejection_without_a_reason_and_writes_nothing(
    client, demo_members, citizen, agent_voirie_sud
):
    report = _pothole(citizen)
    events = Evenement.objects.count()
    audits = AuditEvent.objects.count()
    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action",
        args=[demo_members.metropole.slug, report.reference, "statut"],
    )
    response = client.post(url, {"statut": "rejete", "texte": ""})
    assert response.status_code == 400
    assert "Donnez le motif du rejet" in response.content.decode()
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.NOUVEAU
    assert Evenement.objects.count() == events
    assert AuditEvent.objects.count() == audits
