"""A citizen logs in with FranceConnect in a real browser, and out again through it.

Headless Chromium (Debian's) clicks « S’identifier avec FranceConnect », picks an identity
on the local fake FranceConnect, lands on « Mon espace » with the verified name, then logs
out through FranceConnect's /session/end and ends logged out.
"""

import pytest

from socle.comptes.models import Identity, SecurityEvent
from tests.helpers.oidc import (
    FRANCECONNECT_SCOPES,
    PROCONNECT_SCOPES,
    forget_caches,
    provider_settings,
)


@pytest.fixture
def fake_franceconnect(live_server, settings):
    from socle.demo.fake_franceconnect import FakeProviderServer

    with FakeProviderServer() as server:
        settings.SITE_URL = live_server.url
        settings.OIDC_PROVIDERS = {
            "franceconnect": provider_settings(
                server.franceconnect.issuer, scopes=FRANCECONNECT_SCOPES, acr="eidas1"
            ),
            "proconnect": provider_settings(server.proconnect.issuer, scopes=PROCONNECT_SCOPES),
        }
        forget_caches()
        yield server.franceconnect
        forget_caches()


@pytest.mark.browser
def test_it_logs_a_citizen_in_and_out_through_franceconnect(
    transactional_db, live_server, fake_franceconnect, browser
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)

    page.goto(f"{base}/comptes/connexion/")
    page.get_by_role("button", name="S’identifier avec FranceConnect").click()

    # The fake FranceConnect's identity page.
    page.wait_for_url(f"{fake_franceconnect.issuer}/interaction/**")
    assert page.get_by_role("heading", level=1).inner_text() == "FranceConnect fictif"
    page.get_by_label("Angela Claire Louise DUBOIS").check()
    page.get_by_role("button", name="Continuer sur le service").click()

    page.wait_for_url(f"{base}/comptes/espace/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon espace"
    assert "Angela Claire Louise DUBOIS" in page.locator("main").inner_text()
    identity = Identity.objects.get()
    assert identity.family_name == "DUBOIS"

    # Logging out goes through FranceConnect and comes back here, logged out.
    page.goto(f"{base}/comptes/oidc/deconnexion/")
    page.get_by_role("button", name="Me déconnecter").click()
    page.wait_for_url(f"{base}/")
    assert (
        "déconnecté(e) de la plateforme et de FranceConnect"
        in page.get_by_role("status").inner_text()
    )
    assert page.get_by_role("link", name="Se connecter", exact=True).count() == 1
    assert ("GET", "/api/v2/session/end") in fake_franceconnect.requests
    page.goto(f"{base}/comptes/espace/")
    assert page.url.startswith(f"{base}/comptes/connexion/")
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGOUT, details__provider="franceconnect"
    ).exists()
    context.close()
