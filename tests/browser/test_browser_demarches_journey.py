"""The démarches issue's "Done means" journey, in headless Chromium, on the demo's content.

A citizen logs in, adopts nothing, fills Pessac's canteen inscription for two children (taken
from the citizen's file) with the proof of address attached from the file, files it and gets the
receipt PDF; an agent of Pessac's Éducation service asks for a missing document, the citizen
adds it, the agent accepts; the citizen downloads the attestation, and its verification page
confirms it. Every page fits 320 px.

With SOCLE_SHOTS=1, screenshots go to the temporary directory's shots/.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import run_tasks
from tests.helpers.comptes import fill_login_form

SHOTS = Path(tempfile.gettempdir()) / "shots" if os.environ.get("SOCLE_SHOTS") == "1" else None
CITIZEN = "citoyen@example.fr"
AGENT = "scolaire@pessac.socle.localhost"


def _fits(page, name: str) -> None:
    """The page does not scroll sideways at 320 px (and, with SOCLE_SHOTS=1, is saved)."""
    page.wait_for_load_state()
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 320:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 320, f"{page.url} scrolls sideways at 320 px ({scroll} px)"
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"demarches-{name}-{width}.png"), full_page=True)


def _pdf(page, url: str) -> bytes:
    """Fetch a PDF with the page's session; check it is one."""
    response = page.request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-")
    return body


@pytest.mark.browser
def test_it_files_the_canteen_inscription_then_instructs_and_attests_it(
    browser, live_server, gironde_transactional, settings, tmp_path
):
    from socle.demarches.models import Document, Dossier
    from socle.demo.setup import DEMO_PASSWORD, setup_demarches, setup_members

    settings.SITE_URL = live_server.url
    settings.MAP_TILES_URL = ""
    demo = setup_members()
    setup_demarches(demo.users)
    base = live_server.url
    errors: list[str] = []

    def new_page():
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
        )
        return page

    # 1. The citizen finds Pessac's canteen inscription and starts it.
    citizen = new_page()
    fill_login_form(citizen, base, CITIZEN, DEMO_PASSWORD)
    citizen.goto(f"{base}/pessac/demarches/")
    _fits(citizen, "catalogue")
    citizen.get_by_role("link", name="Inscription à la restauration scolaire").click()
    citizen.get_by_role("button", name=re.compile("Commencer")).click()

    # 2. Page 1: the parent, taken from the file (marked so); only the phone is typed.
    main = citizen.locator("main")
    assert citizen.get_by_label("Nom", exact=False).first.input_value() == "Citoyenne"
    assert main.get_by_text("Repris de votre dossier citoyen").count() >= 4
    citizen.get_by_label("Téléphone").fill("06 12 34 56 78")
    _fits(citizen, "page-1")
    citizen.get_by_role("button", name="Suivant").last.click()

    # 3. Page 2: both children come from the household; the school details are chosen.
    for number, (prenom, ecole, classe) in enumerate(
        (("Léa", "École de Saige", "CE1"), ("Hugo", "École de Saige", "Moyenne section")),
        start=1,
    ):
        child = citizen.get_by_role("group", name=f"Enfant {number}", exact=True)
        assert child.get_by_label("Prénom").input_value() == prenom
        child.get_by_label("École").select_option(label=ecole)
        child.get_by_label("Classe à la rentrée").select_option(label=classe)
        child.get_by_label("Régime alimentaire").select_option(label="Standard")
        child.get_by_role("radio", name="Non").check()
        for day in ("Lundi", "Mardi", "Jeudi", "Vendredi"):
            child.get_by_role("checkbox", name=day).check()
    _fits(citizen, "page-2")
    citizen.get_by_role("button", name="Suivant").last.click()

    # 4. Page 3: no family-quotient rate; the proof of address attached from the file.
    citizen.locator("#champ-f-tarif_qf").get_by_role("radio", name="Non").check()
    justificatif = citizen.locator("#champ-f-justificatif_domicile")
    justificatif.get_by_role("button", name="Joindre depuis mon dossier citoyen").click()
    expect(citizen.locator("#champ-f-justificatif_domicile")).to_contain_text("facture.pdf")
    _fits(citizen, "page-3")
    citizen.get_by_role("button", name="Vérifier avant de déposer").click()

    # 5. The summary, then « Déposer »: one dossier, filed, routed to the Éducation service.
    expect(citizen.locator("main")).to_contain_text("Léa")
    _fits(citizen, "recapitulatif")
    deposer = citizen.get_by_role("button", name=re.compile("Déposer"))
    deposer.click()
    # (The browser keeps the last page's #fragment across the redirect.)
    citizen.wait_for_url(re.compile(r"/demarches/dossiers/D-[A-Z0-9-]+/(#.*)?$"))
    dossier = Dossier.objects.get(usager__email=CITIZEN)
    assert dossier.statut == "depose" and dossier.service.nom == "Éducation"
    assert len(dossier.donnees["enfants"]) == 2
    assert dossier.pieces_jointes.filter(depuis_dossier_citoyen=True).count() == 1

    # 6. The receipt, generated by the worker, downloads as a PDF.
    run_tasks()
    citizen.reload()
    _fits(citizen, "dossier-depose")
    receipt = citizen.get_by_role("link", name=re.compile("Récépissé"))
    _pdf(citizen, base + receipt.get_attribute("href"))

    # 7. The Éducation agent finds it in the queue and asks for a missing document.
    agent = new_page()
    fill_login_form(agent, base, AGENT, DEMO_PASSWORD)
    agent.goto(f"{base}/gestion/pessac/demarches/dossiers/")
    _fits(agent, "file")
    with agent.expect_navigation():
        agent.get_by_role("link", name=dossier.reference).click()
    _fits(agent, "dossier-agent")
    agent.get_by_label("Pièce demandée").fill("Attestation d’assurance scolaire")
    agent.get_by_role("button", name=re.compile("Demander la pièce")).click()
    expect(agent.locator("main")).to_contain_text("Attestation d’assurance scolaire")

    # 8. The citizen sees the request and sends the document.
    insurance = tmp_path / "assurance.pdf"
    insurance.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    citizen.reload()
    requested = citizen.locator(".demarche-demandes .card", has_text="assurance scolaire")
    requested.get_by_label("Envoyer un fichier").set_input_files(str(insurance))
    _fits(citizen, "piece-demandee")
    requested.get_by_role("button", name="Transmettre").click()
    expect(citizen.locator("main")).to_contain_text("Merci")
    assert dossier.demandes.get().fournie_le is not None

    # 9. The agent accepts the dossier.
    agent.reload()
    agent.get_by_role("button", name="Accepter").click()
    expect(agent.locator("main")).to_contain_text("Le dossier a changé de statut.")
    dossier.refresh_from_db()
    assert dossier.statut == "accepte"

    # 10. The citizen downloads the attestation; its verification page confirms it.
    run_tasks()
    citizen.reload()
    _fits(citizen, "dossier-accepte")
    attestation_link = citizen.get_by_role("link", name=re.compile("Attestation"))
    attestation = _pdf(citizen, base + attestation_link.first.get_attribute("href"))
    code = Document.objects.get(dossier=dossier, kind="attestation").code
    visitor = new_page()
    visitor.goto(f"{base}/verifier/")
    visitor.get_by_role("textbox", name=re.compile("Code de vérification")).fill(
        code.lower().replace("-", " ")
    )
    visitor.get_by_role("button", name="Vérifier", exact=True).click()
    expect(visitor.locator("main")).to_contain_text("Document authentique")
    page_text = visitor.locator("main").inner_text()
    assert "Document authentique" in page_text
    assert "Citoyenne" not in page_text and dossier.reference not in page_text
    pdf = tmp_path / "attestation.pdf"
    pdf.write_bytes(attestation)
    visitor.locator("input[type=file]").set_input_files(str(pdf))
    visitor.get_by_role("button", name="Comparer", exact=True).click()
    expect(visitor.locator("main")).to_contain_text("Ce fichier est identique")
    _fits(visitor, "verification")

    assert errors == []
