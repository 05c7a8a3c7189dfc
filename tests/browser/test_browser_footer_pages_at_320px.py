"""An opérateur edits the accessibility statement at 320 px with the keyboard only; the public
page and the footer show it; no page on the way scrolls sideways."""

import importlib

import pytest
from django.apps import apps

from socle.comptes import totp
from tests.helpers.comptes import enrol_totp, fill_login_form

DEFAULT_PAGES = importlib.import_module("socle.portail.migrations.0002_default_pages")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def _press(page, locator, key: str = "Enter") -> None:
    locator.focus()
    page.keyboard.press(key)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_edits_the_statement_at_320_pixels_with_the_keyboard(
    browser, live_server, operateur, password
):
    # A transactional test starts from flushed tables: the data migration's pages, again.
    DEFAULT_PAGES.create_default_pages(apps, None)
    secret = enrol_totp(operateur)
    base = live_server.url
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(30_000)

    fill_login_form(page, base, operateur.email, password)
    page.wait_for_url(f"{base}/comptes/second-facteur/**")
    page.get_by_label("Code à 6 chiffres").fill(totp.code_at(secret))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/gestion/")
    _fits(page)

    _press(page, page.get_by_role("link", name="Pages du site", exact=False))
    page.wait_for_url(f"{base}/gestion/pages/")
    _fits(page)
    _press(page, page.get_by_role("link", name="Déclaration d’accessibilité"))
    page.wait_for_url(f"{base}/gestion/pages/accessibilite/")
    _fits(page)

    contenu = page.get_by_role("textbox", name="Contenu")
    contenu.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("## Résultat de l’audit\n\nAudit fait en 2026 : 80 % des critères.")
    _press(page, page.get_by_label("partiellement conforme"), " ")
    _press(page, page.get_by_role("button", name="Enregistrer"))
    page.wait_for_url(f"{base}/gestion/pages/")
    assert "a été enregistrée" in page.content()

    page.goto(f"{base}/accessibilite/")
    _fits(page)
    assert page.get_by_role("heading", level=2, name="Résultat de l’audit").is_visible()
    footer = page.locator("footer")
    assert footer.get_by_role("link", name="Accessibilité : partiellement conforme").count() == 1
    context.close()
