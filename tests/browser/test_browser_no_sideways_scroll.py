"""At 320 px, no page a citizen, an administrator or an opérateur opens scrolls sideways."""

import pytest
from django.conf import settings

PUBLIC = [
    "/",
    "/?q=saint",
    "/pessac/",
    "/bordeaux-metropole/",
    "/api/v1/",
    "/comptes/connexion/",
    "/comptes/inscription/",
    "/gestion/kit/",
]
ADMINISTRATEUR = [
    "/comptes/espace/",
    "/gestion/",
    "/gestion/pessac/",
    "/gestion/pessac/historique/",
    "/gestion/pessac/competences/",
    "/gestion/pessac/services/nouveau/",
    "/gestion/pessac/agents/inviter/",
    "/gestion/pessac/cles-api/",
    "/gestion/pessac/usagers/",
]
OPERATEUR = [
    "/gestion/",
    "/gestion/membres/nouveau/?q=saint",
    "/gestion/bordeaux-metropole/competences/",
]


def _too_wide(context, base: str, paths: list[str]) -> dict[str, int]:
    page = context.new_page()
    wide = {}
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    return wide


def _context_of(browser, client, user, base):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    if user is not None:
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
    return context


@pytest.mark.browser
def test_it_keeps_every_page_within_320_pixels(
    browser, live_server, gironde_transactional, client, operateur
):
    from socle.demo.setup import setup_members

    report = setup_members()
    admin = report.users["admin@pessac.socle.localhost"]
    base = live_server.url
    wide = {}
    for user, paths in [(None, PUBLIC), (admin, ADMINISTRATEUR), (operateur, OPERATEUR)]:
        context = _context_of(browser, client, user, base)
        wide.update(_too_wide(context, base, paths))
        context.close()
    assert wide == {}
