"""The observatory issue's "Done means" journey, in headless Chromium, on the demo's content.

An élu of Pessac finds the Dunkerque and Paris reporting apps by searching « signalement voirie
application », sees who to contact and asks the structure to put him in touch, runs the
maturity diagnostic and sees its radar; a chargé de mission of Pessac drafts a project with an
ex-ante evaluation whose radar and net present value appear; the coherence view of the Gironde
shows Pessac and Bordeaux planning the same software. Every page fits 320 px.

With SOCLE_SHOTS=1, screenshots go to the temporary directory's shots/.
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from tests.helpers.comptes import fill_login_form

SHOTS = Path(tempfile.gettempdir()) / "shots" if os.environ.get("SOCLE_SHOTS") == "1" else None
QUERY = "signalement voirie application"


def _fits(page, name: str) -> None:
    """The page does not scroll sideways at 320 px (and, with SOCLE_SHOTS=1, is saved)."""
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 320:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 320, f"{page.url} scrolls sideways at 320 px ({scroll} px)"
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"observatoire-{name}-{width}.png"), full_page=True)


def _npv(flows: list[tuple[int, int]], rate: float) -> float:
    """The net present value as docs/observatoire.md defines it (year 0 not discounted)."""
    return sum((gains - costs) / (1 + rate) ** year for year, (costs, gains) in enumerate(flows))


@pytest.mark.browser
def test_it_finds_contacts_diagnoses_evaluates_and_shows_the_coherence(
    browser, live_server, gironde_transactional, settings
):
    from socle.core.models import OutboxMessage
    from socle.demo.setup import DEMO_PASSWORD, setup_members, setup_observatoire
    from socle.observatoire.models import Diagnostic, Evaluation, Projet

    settings.SITE_URL = live_server.url
    settings.MAP_TILES_URL = ""
    setup_members()
    setup_observatoire()
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

    # 1. The élu of Pessac searches the observatory: Dunkerque's and Paris's apps come first.
    elu = new_page()
    fill_login_form(elu, base, "elu@pessac.socle.localhost", DEMO_PASSWORD)
    elu.goto(f"{base}/observatoire/")
    elu.get_by_label("Rechercher un projet").fill(QUERY)
    elu.get_by_role("button", name="Rechercher", exact=True).click()
    titles = elu.locator(".obs-projets h3 a, .obs-projets h2 a").all_inner_texts()
    assert any("DK’CL!" in t for t in titles[:2]) and any("DansMaRue" in t for t in titles[:2])
    _fits(elu, "recherche")

    # 2. He opens DK'CL!, sees who carries it and asks the structure to put him in touch.
    elu.get_by_role("link", name=re.compile("DK’CL!")).first.click()
    contact = elu.locator("section", has=elu.get_by_role("heading", name="Qui contacter ?"))
    assert "Communauté urbaine de Dunkerque" in contact.inner_text()
    _fits(elu, "projet")
    elu.get_by_label("Votre message à la structure").fill(
        "Nous voulons une application de signalement : qui a piloté DK’CL! ?"
    )
    with elu.expect_navigation():
        elu.get_by_role("button", name="Envoyer la demande").click()
    assert "Votre demande est envoyée" in elu.locator(".messages").inner_text()
    bodies = [m.payload["body"] for m in OutboxMessage.objects.all()]
    assert any("qui a piloté DK’CL!" in body for body in bodies)

    # 3. He runs Pessac's maturity diagnostic and sees its radar.
    elu.goto(f"{base}/gestion/pessac/observatoire/diagnostic/nouveau/")
    for index, radio in enumerate(elu.locator("fieldset fieldset").all()):
        radio.locator(f'input[type="radio"][value="{index % 6}"]').check()
    _fits(elu, "diagnostic-questionnaire")
    elu.get_by_role("button", name="Enregistrer le diagnostic").click()
    radar = elu.locator("figure.kit-chart").first
    assert radar.locator("svg[role=img]").count() == 1
    assert "Cybersécurité" in radar.inner_text()
    assert Diagnostic.objects.filter(membre__slug="pessac").count() == 1
    assert "dès que 5" in elu.locator("main").inner_text()  # no group of 5 to compare with
    _fits(elu, "diagnostic")

    # 4. The coherence view of the Gironde: Pessac and Bordeaux both plan Publik.
    elu.goto(f"{base}/gestion/observatoire/coherence/")
    opportunities = elu.locator(
        "section", has=elu.get_by_role("heading", name=re.compile("Opportunités"))
    )
    text = opportunities.inner_text()
    assert "Publik" in text and "Pessac" in text and "Bordeaux" in text
    _fits(elu, "coherence")

    # 5. A chargée de mission of Pessac drafts a project and its ex-ante evaluation.
    agent = new_page()
    fill_login_form(agent, base, "agent@pessac.socle.localhost", DEMO_PASSWORD)
    agent.goto(f"{base}/gestion/pessac/observatoire/projets/nouveau/")
    agent.get_by_label(re.compile(r"^Titre")).fill(
        "Médiateurs numériques dans les mairies de quartier"
    )
    agent.get_by_label(re.compile(r"^Résumé")).fill(
        "Des permanences d’aide aux démarches en ligne dans les mairies de quartier."
    )
    agent.get_by_label("Inclusion numérique").check()
    _fits(agent, "projet-brouillon")
    with agent.expect_navigation():
        agent.get_by_role("button", name="Enregistrer le brouillon").click()
    projet = Projet.objects.get(titre="Médiateurs numériques dans les mairies de quartier")
    assert projet.etat == Projet.Etat.BROUILLON and projet.membre.slug == "pessac"
    agent.get_by_role("link", name="Évaluation ex ante").click()
    for group in agent.locator("fieldset.obs-question, fieldset:has(input[type=radio])").all():
        group.locator('input[type="radio"]').first.check()
    flows = [(12000, 0), (1500, 5000), (1500, 5000), (1500, 5000), (1500, 5000)]
    for year, (costs, gains) in enumerate(flows):
        agent.get_by_label(f"Coûts de l’année {year + 1}, en euros").fill(str(costs))
        agent.get_by_label(f"Gains de l’année {year + 1}, en euros").fill(str(gains))
    with agent.expect_navigation():
        agent.get_by_role("button", name="Enregistrer et calculer").click()
    evaluation = Evaluation.objects.get(projet=projet, kind=Evaluation.Kind.EX_ANTE)
    expected = _npv(flows, 0.045)  # 12 000 to recover, 3 500 a year for 4 years: ≈ 556 €
    assert abs(float(evaluation.resultat["van"]) - expected) < 0.01
    page_text = agent.locator("main").inner_text()
    assert re.search(rf"Valeur actuelle nette \(VAN\)\s+{round(expected)}\s€", page_text)
    assert agent.locator("figure.kit-chart svg[role=img]").count() >= 1
    _fits(agent, "evaluation")

    assert errors == []
