"""In Chromium, the main pages break no rule of the Content-Security-Policy and keep their look."""

import pytest

PAGES = ["/", "/?q=pessac", "/pessac/", "/comptes/connexion/", "/api/v1/", "/gestion/kit/"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_the_main_pages_without_a_policy_violation(
    browser, live_server, gironde_transactional
):
    from socle.demo.setup import setup_members

    pessac = setup_members().members["pessac"]
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for url in PAGES:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelectorAll('script[src]').length") >= 1, url

    assert violations == []
    # The member's theme reached the page through the stylesheet, not an inline style.
    page.goto(f"{live_server.url}/pessac/")
    theme = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--theme').trim()"
    )
    assert theme == pessac.couleur.lower()
    # The members' cards on the home page have their colours too.
    page.goto(f"{live_server.url}/")
    border = page.locator(f".card.couleur-{pessac.couleur.lower()[1:]}").evaluate(
        "card => getComputedStyle(card).borderTopColor"
    )
    red, green, blue = (int(pessac.couleur[i : i + 2], 16) for i in (1, 3, 5))
    assert border == f"rgb({red}, {green}, {blue})"
    context.close()
