"""« Qui contacter ? » at 320 px with the keyboard alone: a pothole at a Pessac address, then a
streetlight in Saint-Émilion. No page it passes scrolls sideways. A screenshot of each card is
left in the temporary directory (or $SOCLE_SCREENSHOTS)."""

import os
import tempfile
from pathlib import Path

import pytest

from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture

SCREENSHOT_DIR = Path(os.environ.get("SOCLE_SCREENSHOTS", tempfile.gettempdir()))


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways ({width} px)"


def _tab_to(page, test: str, limit: int = 120) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => !!e && ({test}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def _ask(page, adresse: str, arrow_downs: int) -> None:
    """Type the address, choose the problem with arrow keys, submit with Enter."""
    _tab_to(page, "e.id === 'id_adresse'")
    page.keyboard.type(adresse)
    # The problem: Tab into the radio group (its first choice), arrows to move, Space to check.
    _tab_to(page, "e.name === 'probleme'")
    for _ in range(arrow_downs):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Trouver qui contacter')")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.browser
def test_it_walks_qui_contacter_at_320_pixels_with_the_keyboard(
    browser,
    live_server,
    gironde_transactional,
    fake_adresse,  # noqa: F811
):
    from socle.demo.setup import setup_members
    from socle.routage import routing

    setup_members()
    routing.reset_router()
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(30_000)

    # From the platform's home, to « Qui contacter ? ».
    page.goto(f"{live_server.url}/")
    _fits(page)
    _tab_to(page, "e.tagName === 'A' && e.textContent.trim() === 'Qui contacter ?'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/qui-contacter/"
    _fits(page)

    # A pothole at a Pessac address: two addresses match, the person picks the first.
    _ask(page, "1 avenue Jean Jaurès 33600 Pessac", arrow_downs=0)
    assert page.get_by_role("heading", name="Plusieurs lieux correspondent").is_visible()
    _fits(page)
    _tab_to(page, "e.name === 'lieu'")
    page.keyboard.press("ArrowDown")  # the second address…
    page.keyboard.press("ArrowUp")  # …no: the first one.
    assert page.evaluate("document.activeElement.labels[0].textContent").startswith(
        "1 Avenue Jean Jaurès 33600 Pessac"
    )
    _tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Continuer')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    card = page.locator(".contact-fiche")
    assert card.get_by_role("heading", level=2).inner_text() == "Bordeaux Métropole s’en occupe"
    text = card.inner_text()
    assert "voirie" in text
    assert "exercée de droit" in text
    # The demo's voirie service has no email or phone: the card gives a contact that has one.
    assert "Courriel" in text or "Téléphone" in text
    _fits(page)
    page.screenshot(path=SCREENSHOT_DIR / "socle-qui-contacter-pessac-320.png", full_page=True)

    # Another question: a streetlight in Saint-Émilion, not a member.
    _tab_to(page, "e.tagName === 'A' && e.textContent.includes('Poser une autre question')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _fits(page)
    _ask(page, "Place Pioceau Saint-Émilion", arrow_downs=1)
    card = page.locator(".contact-fiche")
    assert card.get_by_role("heading", level=2).inner_text() == "Saint-Émilion s’en occupe"
    text = card.inner_text()
    assert "Un lampadaire éteint" in text
    assert "Mairie de Saint-Émilion" in text
    assert "Membre de la plateforme" not in text
    hours = card.locator("ul.hours li").all_inner_texts()
    assert hours and all(" h" in line and ":" in line for line in hours)
    assert not any(":00" in line for line in hours)
    _fits(page)
    page.screenshot(
        path=SCREENSHOT_DIR / "socle-qui-contacter-saint-emilion-320.png", full_page=True
    )
    context.close()
