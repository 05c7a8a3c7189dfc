"""In a browser: at 320 px the observatory's search, a project (tables, radar, long addresses),
the software registry and « près de chez moi » (with its map) never scroll sideways; the search
form is used with the keyboard alone."""

from decimal import Decimal

import pytest

from tests.observatoire.fixtures_public import build_observatoire


@pytest.fixture
def observatoire_live(gironde_transactional, settings, tmp_path):
    from socle.demo.setup import setup_members
    from socle.membres.models import Role
    from socle.observatoire.models import Evaluation, Indicateur, Jalon
    from tests.helpers.personas import persona

    settings.MEDIA_ROOT = tmp_path / "media"
    members = setup_members().members
    pessac, bordeaux = members["pessac"], members["bordeaux"]
    found = build_observatoire(
        pessac=pessac,
        bordeaux=bordeaux,
        agent_pessac=persona("anne.agent@pessac.example.fr", kind=Role.Kind.AGENT, membre=pessac),
        agent_bordeaux=persona(
            "beatrice.agent@bordeaux.example.fr", kind=Role.Kind.AGENT, membre=bordeaux
        ),
        operateur=persona("olivia.operatrice@socle.localhost", kind=Role.Kind.OPERATEUR),
    )
    projet = found.voirie
    Jalon.objects.create(projet=projet, titre="Ouverture au public", date_prevue="2024-09-01")
    Indicateur.objects.create(projet=projet, nom="Signalements par mois", cible=100, realise=120)
    Evaluation.objects.create(
        projet=projet,
        kind=Evaluation.Kind.EX_ANTE,
        horizon_annees=5,
        taux_actualisation=Decimal("4.5"),
        resultat={
            "axes": [
                {"code": c, "nom": n, "poids": "1", "score": s, "note": "B"}
                for c, n, s in (
                    ("necessite", "Nécessité", 80),
                    ("risques", "Maîtrise des risques", 55),
                    ("gains-internes", "Gains internes (agents, service public)", 62),
                    ("gains-externes", "Gains externes (usagers, entreprises)", 70),
                    ("rentabilite", "Rentabilité", 71),
                )
            ],
            "score": 67,
            "note": "B",
            "van": 12345.6,
            "delai_retour": 2.67,
        },
    )
    return found


@pytest.mark.browser
def test_it_keeps_the_pages_within_320_pixels(browser, live_server, observatoire_live):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in (
        "/observatoire/",
        "/observatoire/?q=signalement+voirie&themes=services-usagers",
        f"/observatoire/projets/{observatoire_live.voirie.slug}/",
        "/observatoire/acteurs/pessac/",
        "/observatoire/logiciels/",
        "/observatoire/logiciels/publik/",
        "/observatoire/pres-de-chez-moi/?commune=Pessac&rayon=tout",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        # The facets are folded away unless a filter is on: measure them open too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways ({width} px)"
    # The map shows the three carriers and the chosen commune.
    page.wait_for_selector(".obs-carte path.leaflet-interactive")
    assert page.locator(".obs-carte path.leaflet-interactive").count() == 4
    assert errors == []
    context.close()


def _tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


@pytest.mark.browser
def test_it_searches_with_the_keyboard_alone(browser, live_server, observatoire_live):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(live_server.url + "/observatoire/")
    _tab_to(page, "#id_q")
    page.keyboard.type("signalement voirie application")
    page.keyboard.press("Enter")
    page.wait_for_url("**/observatoire/?q=*")
    assert (
        "2 projets correspondent à votre recherche" in page.locator("#resultats-titre").inner_text()
    )
    # Open the facets, tick « Réalisé », apply.
    _tab_to(page, "details.obs-filtres > summary")
    page.keyboard.press("Enter")
    _tab_to(page, "input[name=statuts][value=realise]")
    page.keyboard.press("Space")
    _tab_to(page, "button.button-secondary[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**statuts=realise*")
    assert "1 projet correspond" in page.locator("#resultats-titre").inner_text()
    # Follow the result with the keyboard.
    _tab_to(page, ".obs-projet h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/observatoire/projets/dkcl-**")
    assert "DK'CL!" in page.locator("h1").inner_text()
    context.close()
