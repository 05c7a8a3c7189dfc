"""The UI kit's page in a real browser: no sideways scroll at 320 px, the table stacked as
cards, the focus on the error summary. Screenshots at 320 and 1280 px are left in the
temporary directory (or $SOCLE_SCREENSHOTS)."""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

SCREENSHOT_DIR = Path(os.environ.get("SOCLE_SCREENSHOTS", tempfile.gettempdir()))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_fits_the_kit_page_in_320_pixels_with_the_table_as_cards(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server.url}/gestion/kit/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Stacked cards: block rows, the header row hidden, each value preceded by its column.
    table = page.locator("#demandes")
    assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == "block"
    first_cell = table.locator("tbody td").first
    label = first_cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Objet"'
    widths = table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.offsetWidth)")
    assert widths and all(width <= 320 for width in widths)
    # The charts shrink with the page.
    for svg in page.locator("svg.kit-chart-svg").all():
        assert svg.bounding_box()["width"] <= 320
    page.screenshot(path=SCREENSHOT_DIR / "socle-kit-320.png", full_page=True)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_moves_the_focus_to_the_error_summary(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/gestion/kit/")

    assert page.title().startswith("Erreur : ")
    page.wait_for_function("document.activeElement.id === 'formulaire-erreurs'")
    summary = page.locator("#formulaire-erreurs")
    assert summary.get_attribute("role") == "alert"
    # Its links lead to the fields; the table is a real table on a wide screen.
    summary.get_by_role("link", name="Nom du service : Ce champ est obligatoire.").click()
    assert page.evaluate("document.activeElement.id") == "id_nom"
    display = page.locator("#demandes tbody tr").first.evaluate("r => getComputedStyle(r).display")
    assert display == "table-row"
    page.screenshot(path=SCREENSHOT_DIR / "socle-kit-1280.png", full_page=True)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_fits_the_journal_in_320_pixels(
    browser, live_server, gironde_transactional, client, dpo_pessac, pessac_and_bordeaux_entries
):
    client.force_login(dpo_pessac)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/gestion/pessac/journal/")

    assert page.get_by_role("heading", level=1).inner_text().startswith("Journal des accès")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    row = page.locator(".kit-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    page.screenshot(path=SCREENSHOT_DIR / "socle-journal-320.png", full_page=True)
    context.close()
