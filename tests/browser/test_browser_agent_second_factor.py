"""In a real browser: the administrator of Pessac logs in with a password and a TOTP code.

At the first login the administrator enrols an authenticator (the test reads the secret shown
for manual entry, as a person would type it into an application); at the next login the code
is computed from the device's secret, and the Pessac back office opens. A screenshot of the
enrolment page is left in the temporary directory (or $SOCLE_SCREENSHOTS).
"""

import os
import tempfile
import time
from pathlib import Path

import pytest

from tests.helpers.comptes import fill_login_form

ADMIN_EMAIL = "admin@pessac.socle.localhost"
SCREENSHOT = (
    Path(os.environ.get("SOCLE_SCREENSHOTS", tempfile.gettempdir())) / "socle-second-facteur.png"
)


def _log_in_with_password(page, base, password):
    fill_login_form(page, base, ADMIN_EMAIL, password, next_url="/gestion/pessac/")


@pytest.mark.browser
def test_it_logs_the_administrator_of_pessac_in_with_a_second_factor(
    browser, live_server, gironde_transactional, password
):
    from socle.comptes import totp
    from socle.comptes.models import TOTPDevice
    from socle.demo.setup import setup_members

    setup_members()
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)

    # First login: the password is right, the role requires a second factor: enrolment.
    _log_in_with_password(page, base, password)
    page.wait_for_url(f"{base}/comptes/second-facteur/activer/")
    assert page.get_by_role("heading", level=1).inner_text() == "Activer le second facteur"
    assert page.locator("svg[role=img]").count() == 1
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    page.screenshot(path=SCREENSHOT, full_page=True)
    # Not logged in yet: the back office sends back to the login page.
    blocked = context.new_page()
    blocked.goto(f"{base}/gestion/pessac/")
    assert "/comptes/connexion/" in blocked.url
    blocked.close()
    page.get_by_label("Code à 6 chiffres").fill(totp.code_at(secret, time.time() - 30))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url(f"{base}/gestion/pessac/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base}/")

    # Next login: password, then the code of the device.
    device = TOTPDevice.objects.get(user__email=ADMIN_EMAIL)
    assert device.confirmed_at is not None
    _log_in_with_password(page, base, password)
    page.wait_for_url(f"{base}/comptes/second-facteur/")
    assert page.get_by_role("heading", level=1).inner_text() == "Code de sécurité"
    page.get_by_label("Code à 6 chiffres").fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Valider le code").click()
    assert "Ce code n’est pas valable" in page.locator("main").inner_text()
    code = totp.code_at(totp.secret_decrypt(device.secret))
    page.get_by_label("Code à 6 chiffres").fill(code)
    page.get_by_role("button", name="Valider le code").click()
    page.wait_for_url(f"{base}/gestion/pessac/")
    assert "Pessac" in page.get_by_role("heading", level=1).inner_text()
    context.close()
