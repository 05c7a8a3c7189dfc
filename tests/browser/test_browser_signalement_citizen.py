"""A logged-in citizen reports a pothole in Pessac at 320 px: on the map by clicking, with a
photo; then with the keyboard alone and without the map (commune and street). Both reach
Bordeaux Métropole's southern road service; no page scrolls sideways."""

import importlib

import pytest
from django.conf import settings

from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture
from tests.signalements.citizen_helpers import photo_with_gps
from tests.signalements.conftest import PESSAC

RECIPIENT = "Bordeaux Métropole — Pôle territorial Sud — voirie"


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways ({width} px)"


def _tab_to(page, test: str, limit: int = 150) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => !!e && ({test}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def _seed_categories() -> None:
    """A transactional test before this one may have flushed the migration's categories."""
    from django.apps import apps

    importlib.import_module("socle.signalements.migrations.0002_seed_platform_categories").seed(
        apps, None
    )


@pytest.mark.browser
def test_it_reports_a_pothole_on_the_map_then_with_the_keyboard(
    browser,
    live_server,
    gironde_transactional,
    client,
    fake_adresse,  # noqa: F811
    tmp_path,
):
    from socle.comptes.models import User
    from socle.demo.setup import setup_members
    from socle.routage import routing
    from socle.signalements.models import Signalement

    setup_members()
    _seed_categories()
    routing.reset_router()
    citizen = User.objects.create_user(email="camille.navigateur@example.fr", password="x" * 20)
    client.force_login(citizen)
    context = browser.new_context(viewport={"width": 320, "height": 640})
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
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # On the map: a click on Pessac.
    page.goto(f"{live_server.url}/signaler/")
    _fits(page)
    carte = page.locator("[data-carte]")
    carte.scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = document.querySelector('[data-carte]').signalerMap;
            map.setView([lat, lon], 15, {animate: false});
            const p = map.latLngToContainerPoint([lat, lon]);
            return [p.x, p.y];
        }""",
        list(PESSAC),
    )
    carte.click(position={"x": x, "y": y})
    page.get_by_label("Nid-de-poule, chaussée abîmée").check()
    page.get_by_label("Description").fill("Un trou profond devant la mairie.")
    photo = tmp_path / "trou.jpg"
    photo.write_bytes(photo_with_gps().getvalue())
    page.locator("input[name=photos]").set_input_files(str(photo))
    _fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert RECIPIENT in page.locator("main").inner_text()
    _fits(page)
    on_map = Signalement.objects.get()
    assert on_map.photos.count() == 1 and not on_map.position_approchee
    assert abs(on_map.lat - PESSAC[0]) < 0.001 and abs(on_map.lon - PESSAC[1]) < 0.001

    # With the keyboard alone, without the map: the commune and the street.
    page.goto(f"{live_server.url}/signaler/")
    _tab_to(page, "e.id === 'id_commune'")
    page.keyboard.type("Pessac")
    _tab_to(page, "e.id === 'id_lieu'")
    page.keyboard.type("avenue Jean Jaurès")
    _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Afficher les catégories')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _fits(page)
    _tab_to(page, "e.name === 'categorie' && e.value === 'nid-de-poule'")
    page.keyboard.press("Space")
    _tab_to(page, "e.id === 'id_description'")
    page.keyboard.type("Un autre trou, avenue Jean Jaurès.")
    _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Envoyer le signalement')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert RECIPIENT in page.locator("main").inner_text()
    _fits(page)
    by_keyboard = Signalement.objects.exclude(pk=on_map.pk).get()
    assert by_keyboard.position_approchee
    assert (by_keyboard.membre_id, by_keyboard.service_id) == (
        on_map.membre_id,
        on_map.service_id,
    )

    # The tracking page and the list fit too.
    for path in (f"/signalements/{on_map.reference}/", "/signalements/"):
        page.goto(f"{live_server.url}{path}")
        _fits(page)
    assert not errors, errors
