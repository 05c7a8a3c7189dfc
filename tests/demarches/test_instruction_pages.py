"""The instruction pages, lean: the queue, a dossier, its actions, downloads, all journaled."""

from socle.demarches.models import ACCEPTE, REFUSE
from socle.journal.models import PersonalDataAccess
from tests.demarches.factories import PDF

BASE = "/gestion/pessac/demarches/dossiers/"


def test_it_lists_the_queue_with_tabs_and_bulk_form(client, demo_members, dossier_factory):
    waiting = dossier_factory(nom="Alice Durand")
    done = dossier_factory(nom="Bruno Petit", statut=ACCEPTE)
    client.force_login(demo_members.agent_pessac)
    page = client.get(BASE).content.decode()
    assert waiting.reference in page and done.reference not in page
    assert 'À traiter <span class="hint">(1)</span>' in page
    assert 'name="dossiers"' in page and 'action="/gestion/pessac/demarches/dossiers/lot/"' in page
    page = client.get(BASE, {"statut": "", "q": "bruno"}).content.decode()
    assert done.reference in page and waiting.reference not in page
    # Without JavaScript: tick, choose, apply.
    response = client.post(
        BASE + "lot/",
        {"dossiers": [waiting.reference], "action": "statut", "vers": "en_instruction"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.statut == "en_instruction"


def test_it_shows_a_dossier_journals_it_and_serves_its_files(
    client, demo_members, citizen, dossier_factory
):
    dossier = dossier_factory(usager=citizen, pieces={"justificatif": ("avis.pdf", PDF)})
    piece = dossier.pieces_jointes.get()
    client.force_login(demo_members.agent_pessac)
    url = f"{BASE}{dossier.reference}/"
    page = client.get(url).content.decode()
    piece_url = f"{url}pieces/{piece.pk}/"
    assert "Quotient familial" in page and piece_url in page
    assert "Refuser" in page and "Accepter" in page
    response = client.get(piece_url)
    assert response.status_code == 200 and response.content == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    purposes = list(
        PersonalDataAccess.objects.filter(citizen=citizen).values_list("channel", "purpose")
    )
    assert purposes == [
        ("gestion : téléchargement d’une pièce", f"dossier {dossier.reference}"),
        ("gestion : page du dossier", f"dossier {dossier.reference}"),
    ]


def test_it_shows_a_refusal_without_motif_on_the_page(client, demo_members, dossier_factory):
    dossier = dossier_factory()
    client.force_login(demo_members.agent_pessac)
    url = f"{BASE}{dossier.reference}/decision/"
    response = client.post(url, {"vers": REFUSE, "motif": ""})
    assert response.status_code == 400
    assert "Motivez cette décision : le motif est envoyé à l’usager." in response.content.decode()
    response = client.post(url, {"vers": REFUSE, "motif": "Pièces manquantes"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.statut == REFUSE


def test_it_exports_the_filtered_queue_journaled(client, demo_members, citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen)
    client.force_login(demo_members.agent_pessac)
    response = client.get(BASE + "export/", {"format": "xlsx", "statut": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = PersonalDataAccess.objects.get(citizen=citizen)
    assert entry.action == PersonalDataAccess.Action.EXPORT
    assert dossier.reference in entry.purpose
