"""A newcomer's journey in a real browser: Mérignac joins, its administrator sets it up.

The opérateur onboards Mérignac; the invitation arrives at the real SMTP server; the new
administrator opens the link, sets a password, creates the « Propreté » service and invites
an agent; the public page of Mérignac shows its name and hours. Screenshots of the Bordeaux
public page and of the back office are left in the temporary directory (or $SOCLE_SCREENSHOTS).
"""

import os
import tempfile
from pathlib import Path

import pytest

from tests.helpers.comptes import fill_login_form
from tests.helpers.pages import invitation_path

ADMIN_EMAIL = "marie.martin@merignac.example.fr"
AGENT_EMAIL = "paul.proprete@merignac.example.fr"
NEW_PASSWORD = "Une-phrase-de-passe-solide-2026"
SCREENSHOT_DIR = Path(os.environ.get("SOCLE_SCREENSHOTS", tempfile.gettempdir()))
SCREENSHOTS = {
    "bordeaux": SCREENSHOT_DIR / "socle-bordeaux.png",
    "gestion": SCREENSHOT_DIR / "socle-gestion-merignac.png",
    "bordeaux_mobile": SCREENSHOT_DIR / "socle-bordeaux-mobile.png",
}


def _enrol_second_factor(page):
    """Opérateurs and administrators enrol a TOTP authenticator at their first login."""
    import time

    from socle.comptes import totp

    assert page.get_by_role("heading", level=1).inner_text() == "Activer le second facteur"
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    page.get_by_label("Code à 6 chiffres").fill(totp.code_at(secret, time.time() - 30))
    page.get_by_role("button", name="Activer").click()


@pytest.mark.browser
def test_it_takes_a_commune_from_onboarding_to_its_public_page(
    browser, live_server, gironde_transactional, operateur, password, smtp_server, settings
):
    from socle.demo.setup import setup_members

    setup_members()
    settings.SITE_URL = live_server.url
    base = live_server.url

    # The opérateur logs in and opens the back office.
    operateur_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = operateur_context.new_page()
    page.set_default_timeout(30_000)
    fill_login_form(page, base, operateur.email, password)
    page.wait_for_url(f"{base}/comptes/second-facteur/activer/")
    _enrol_second_factor(page)
    # An opérateur lands in « Gestion ».
    page.wait_for_url(f"{base}/gestion/")
    assert page.get_by_role("heading", level=1).inner_text() == "Gestion"

    # Onboarding: find Mérignac, choose it, fill the form.
    page.get_by_role("link", name="Ajouter un membre").click()
    page.get_by_label("Nom de la collectivité, code INSEE ou SIREN").fill("Mérignac")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Choisir Mérignac").click()
    assert page.get_by_label("Adresse sur la plateforme").input_value() == "merignac"
    page.get_by_label("Adresse électronique de l’administrateur").fill(ADMIN_EMAIL)
    page.get_by_label("Couleur principale").fill("#00695c")
    # The modules installed on this platform (the test run's toy module).
    page.get_by_label("Jardins partagés").check()
    page.get_by_role("button", name="Ajouter le membre et inviter l’administrateur").click()
    page.wait_for_url(f"{base}/gestion/merignac/")
    assert "Une invitation a été envoyée à" in page.get_by_role("status").inner_text()
    operateur_context.close()

    # The invitation arrives; the administrator opens it and creates the account.
    [message] = smtp_server.wait_for(1, timeout=10)
    assert message["To"] == ADMIN_EMAIL
    link = f"{base}{invitation_path(message)}"
    assert link in message.get_content()

    admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = admin_context.new_page()
    page.set_default_timeout(30_000)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Rejoindre Mérignac"
    page.get_by_label("Prénom").fill("Marie")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Martin")
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Créer mon accès et accepter").click()
    page.wait_for_url(f"{base}/comptes/second-facteur/activer/")
    _enrol_second_factor(page)
    page.wait_for_url(f"{base}/gestion/merignac/")

    # The « Propreté » service, handling propreté.
    page.get_by_role("link", name="Créer un service").click()
    page.get_by_label("Nom du service").fill("Propreté")
    page.get_by_label("Adresse électronique du service").fill("proprete@merignac.example.fr")
    page.get_by_label("Propreté", exact=True).check()
    page.get_by_role("button", name="Créer le service").click()
    page.wait_for_url(f"{base}/gestion/merignac/")
    assert "Le service « Propreté » a été créé." in page.get_by_role("status").inner_text()

    # An agent of that service.
    page.get_by_role("link", name="Inviter un agent").click()
    page.get_by_label("Adresse électronique").fill(AGENT_EMAIL)
    page.get_by_label("Agent", exact=True).check()
    page.get_by_label("Service (facultatif)").select_option(label="Propreté")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    page.wait_for_url(f"{base}/gestion/merignac/")
    messages = smtp_server.wait_for(2, timeout=10)
    assert messages[1]["To"] == AGENT_EMAIL
    assert AGENT_EMAIL in page.locator("main").inner_text()
    page.screenshot(path=SCREENSHOTS["gestion"], full_page=True)

    # The public page of the new member.
    page.goto(f"{base}/merignac/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mérignac"
    body = page.locator("main").inner_text()
    assert "Le lundi : de 8 h 30 à 17 h" in body
    assert "Du mardi au vendredi : de 8 h 30 à 18 h" in body
    assert page.locator("svg[role=img]").count() == 1
    admin_context.close()

    # Screenshots of the Bordeaux public page, on a desktop and a phone.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = visitor.new_page()
    page.goto(f"{base}/bordeaux/")
    assert "Place Pey-Berland" in page.locator("main").inner_text()
    page.screenshot(path=SCREENSHOTS["bordeaux"], full_page=True)
    visitor.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{base}/bordeaux/")
    page.screenshot(path=SCREENSHOTS["bordeaux_mobile"], full_page=True)
    phone.close()
