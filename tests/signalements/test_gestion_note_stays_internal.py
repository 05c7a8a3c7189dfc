from django.urls import reverse

from socle.signalements.models import Envoi, Evenement
from socle.signalements.selectors import evenements_public
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def test_it_keeps_a_note_off_the_public_page_and_out_of_mail(
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
    envois = Envoi.objects.filter(signalement=report).count()
    client.force_login(agent_voirie_sud)
    slug = demo_members.metropole.slug
    url = reverse("gestion:signalements:action", args=[slug, report.reference, "note"])
    assert client.post(url, {"note": "Voir avec le concessionnaire gaz."}).status_code == 302

    note = Evenement.objects.get(signalement=report, kind=Evenement.Kind.NOTE)
    assert not note.public
    assert not evenements_public(report).filter(texte__contains="concessionnaire").exists()
    assert Envoi.objects.filter(signalement=report).count() == envois
    page = client.get(reverse("gestion:signalements:detail", args=[slug, report.reference]))
    html = page.content.decode()
    assert "Voir avec le concessionnaire gaz." in html
    assert "interne" in html
    smtp_server.wait_for(0)
    assert smtp_server.messages == []
