"""An agent works the reports' back office at 320 px wide: no sideways scrolling, the map draws
the reports without tiles and without breaking the page's Content-Security-Policy."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_the_queue_map_report_and_dashboard_at_320px(
    browser, live_server, gironde_transactional, client, settings
):
    from socle.demo.setup import setup_members
    from socle.membres.models import Role
    from socle.signalements.services import signalement_create
    from tests.helpers.personas import persona
    from tests.signalements.conftest import PESSAC

    settings.MAP_TILES_URL = ""
    pessac = setup_members().members["pessac"]
    admin = persona("paul.admin@pessac.example.fr", kind=Role.Kind.ADMINISTRATEUR, membre=pessac)
    citizen = persona("camille.citoyenne@example.fr")
    report = signalement_create(
        categorie_code="tag",
        description="Un très long tag sur le mur de l’école élémentaire, côté cour.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        adresse="Place de la Cinquième République",
        auteur=citizen,
    )
    client.force_login(admin)
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
    base = f"{live_server.url}/gestion/pessac/signalements/"
    for path in ("", "carte/", f"{report.reference}/", "tableau-de-bord/", "reglages/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.goto(base + "carte/")
    page.locator(".signalements-carte.leaflet-container").wait_for()
    point = page.locator(".signalements-carte path.leaflet-interactive")
    assert point.count() == 1
    point.click(force=True)
    page.get_by_role("link", name=f"{report.reference} — Tag, graffiti (Nouveau)").click()
    page.wait_for_url(base + f"{report.reference}/")
    assert problems == []
    context.close()
