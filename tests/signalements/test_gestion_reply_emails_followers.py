from django.urls import reverse

from socle.signalements.models import Evenement, ModeleReponse
from socle.signalements.selectors import evenements_public
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_publishes_a_reply_and_emails_it_to_the_followers(
    client, demo_members, citizen, agent_voirie_sud, smtp_server
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou devant la mairie.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    smtp_server.wait_for(2)
    smtp_server.clear()
    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action",
        args=[demo_members.metropole.slug, report.reference, "repondre"],
    )
    response = client.post(url, {"texte": "Une équipe passe demain matin."})
    assert response.status_code == 302
    reply = evenements_public(report).get(kind=Evenement.Kind.REPONSE)
    assert reply.texte == "Une équipe passe demain matin."
    mail = smtp_server.wait_for(1)[0]
    assert mail["To"] == citizen.email
    assert "Une équipe passe demain matin." in mail.get_content()


def test_it_starts_a_reply_from_a_template_of_the_member(
    client, demo_members, citizen, agent_voirie_sud
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    modele = ModeleReponse.objects.create(
        membre=demo_members.metropole, titre="Intervention", texte="Nous intervenons sous 48 h."
    )
    other = ModeleReponse.objects.create(
        membre=demo_members.pessac, titre="Autre", texte="Texte de Pessac."
    )
    client.force_login(agent_voirie_sud)
    detail = reverse(
        "gestion:signalements:detail", args=[demo_members.metropole.slug, report.reference]
    )
    page = client.get(detail, {"modele": modele.pk}).content.decode()
    assert "Nous intervenons sous 48 h.</textarea>" in page
    page = client.get(detail, {"modele": other.pk}).content.decode()
    assert "Texte de Pessac." not in page
