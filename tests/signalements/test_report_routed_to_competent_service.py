from socle.signalements.models import Envoi, Signalement
from socle.signalements.selectors import signalements_for_user, transmission_state
from socle.signalements.services import recipient_label, signalement_create
from tests.signalements.conftest import PESSAC, SAINT_EMILION


def test_it_sends_a_pothole_in_pessac_to_the_metropoles_southern_road_service(
    demo_members, citizen, agent_voirie_sud, agent_voirie_nord, smtp_server
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou profond devant la mairie.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    assert report.membre == demo_members.metropole
    assert report.service.nom == "Pôle territorial Sud — voirie"
    assert recipient_label(report) == "Bordeaux Métropole — Pôle territorial Sud — voirie"
    assert report.commune_nom == "Pessac"
    assert report.public and report.confirme_le is not None
    assert report in signalements_for_user(user=agent_voirie_sud, membre=demo_members.metropole)
    assert report not in signalements_for_user(
        user=agent_voirie_nord, membre=demo_members.metropole
    )
    assert transmission_state(report) == "en_cours"
    mails = smtp_server.wait_for(2)
    subjects = sorted(str(mail["Subject"]) for mail in mails)
    assert any("est transmis à Bordeaux Métropole — Pôle territorial Sud" in s for s in subjects)
    assert any("Nouveau signalement" in s for s in subjects)
    assert transmission_state(Signalement.objects.get(pk=report.pk)) == "transmis"


def test_it_keeps_a_report_for_a_non_member_and_gives_the_mairie_contact(demo_members, citizen):
    report = signalement_create(
        categorie_code="eclairage",
        description="Lampadaire éteint.",
        lat=SAINT_EMILION[0],
        lon=SAINT_EMILION[1],
        auteur=citizen,
    )
    assert report.membre is None
    assert report.titulaire_nom == "Saint-Émilion"
    assert report.contact["collectivite"]["nom"] == "Saint-Émilion"
    assert not report.envois.filter(destinataire=Envoi.Destinataire.MAIRIE).exists()
