"""At 320 px wide, the roadmap, the coherence view of the Gironde (its columns one under the
other, its map drawing the members without tiles and without breaking the Content-Security-
Policy) and the maturity pages (questionnaire, radar, history) do not scroll sideways."""

import pytest


def _default_statements():
    """Put back the questionnaire's default statements (a transactional test starts empty)."""
    from socle.observatoire.defaults import defaults_ensure

    defaults_ensure()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_pages_within_320_pixels(
    browser, live_server, gironde_transactional, client, settings
):
    from socle.demo.setup import setup_members
    from socle.membres.models import Role
    from socle.observatoire import feuilles
    from tests.helpers.personas import persona
    from tests.observatoire.fixtures_feuilles import (
        consented_contact,
        diagnose,
        roadmap_with_software,
    )

    settings.MAP_TILES_URL = ""
    _default_statements()
    members = setup_members().members
    pessac, bordeaux = members["pessac"], members["bordeaux"]
    elu = persona("emile.elu@pessac.example.fr", kind=Role.Kind.ELU, membre=pessac)
    _axe, projet = roadmap_with_software(
        elu,
        pessac,
        axe="Une relation aux usagers simple et accessible à tous, partout sur le territoire",
        projet="Portail des démarches en ligne de la ville et du centre communal d’action sociale",
        logiciel="Publik",
    )
    consented_contact(
        elu,
        pessac,
        projet,
        nom="Claire Durand-Montesquieu",
        email="claire.durand-montesquieu.responsable-numerique@pessac.example.fr",
    )
    roadmap_with_software(
        None, bordeaux, axe="Relation aux usagers", projet="Guichet numérique", logiciel="Publik"
    )
    feuilles.feuille_adopt(acting_user=elu, membre=pessac, instance="Conseil municipal")
    diagnostic = diagnose(pessac, 3)
    diagnose(pessac, 4)

    client.force_login(elu)
    context = browser.new_context(viewport={"width": 320, "height": 800})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    base = f"{live_server.url}/gestion/pessac/observatoire/"
    for url in (
        base + "feuille-de-route/",
        base + "feuille-de-route/versions/1/",
        base + "feuille-de-route/adopter/",
        f"{live_server.url}/gestion/observatoire/coherence/",
        base + "diagnostic/",
        base + "diagnostic/nouveau/",
        base + f"diagnostic/{diagnostic.pk}/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways ({width} px)"

    page.goto(f"{live_server.url}/gestion/observatoire/coherence/")
    page.locator(".coherence-carte.leaflet-container").wait_for()
    assert page.locator(".coherence-carte path.leaflet-interactive").count() == 2
    columns = page.locator(".coherence-colonne")
    assert columns.count() == 2
    first, second = (columns.nth(i).bounding_box() for i in range(2))
    assert second["y"] >= first["y"] + first["height"]  # one under the other
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert problems == []
    context.close()
