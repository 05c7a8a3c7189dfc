"""At 320 px the open data pages do not scroll sideways: the preview table scrolls inside its
own frame (reachable with the keyboard), and a geographic dataset's map shows its points."""

import pytest

from tests.opendata.serve_data import (  # noqa: F401 - fixture
    lieux,
    opendata_media,
    subventions,
    with_opendata,
)


@pytest.mark.browser
def test_it_keeps_the_pages_within_320_pixels(browser, live_server, gironde_transactional):
    from socle.demo.setup import setup_members

    report = setup_members()
    pessac = with_opendata(report.members["pessac"])
    subventions(pessac, None)
    lieux(pessac, None)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in (
        "/pessac/donnees/",
        "/donnees/",
        "/pessac/donnees/subventions-versees/",
        "/pessac/donnees/lieux-publics/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways ({width} px)"

    page.goto(live_server.url + "/pessac/donnees/subventions-versees/")
    frame = page.locator(".od-apercu").first
    scroll, client = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll > client  # 16 columns: the frame scrolls, not the page
    frame.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    for _ in range(50):
        if frame.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert frame.evaluate("e => e.scrollLeft") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.goto(live_server.url + "/pessac/donnees/lieux-publics/")
    page.wait_for_selector(".od-carte .leaflet-interactive")
    assert page.locator(".od-carte path.leaflet-interactive").count() == 2
    assert errors == []
    context.close()
