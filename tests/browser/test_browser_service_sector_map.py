"""An administrator draws a service's sector on the map, with a few clicks, at 320 px wide;
routing then sends what happens inside the triangle to that service."""

import os
import tempfile
from pathlib import Path

import pytest
import shapely
from django.conf import settings

SCREENSHOT_DIR = Path(os.environ.get("SOCLE_SCREENSHOTS", tempfile.gettempdir()))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_draws_a_triangle_and_routes_a_point_inside_it_to_the_service(
    browser, live_server, gironde_transactional, client
):
    from socle.demo.setup import setup_members
    from socle.membres.models import Role, Service
    from socle.routage.routing import route
    from tests.helpers.personas import persona

    pessac = setup_members().members["pessac"]
    admin = persona("paul.admin@pessac.example.fr", kind=Role.Kind.ADMINISTRATEUR, membre=pessac)
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
    page.goto(f"{live_server.url}/gestion/pessac/services/nouveau/")

    page.get_by_label("Nom du service").fill("Espaces verts — secteur du centre")
    page.get_by_label("Espaces verts", exact=True).check()
    map_box = page.locator(".secteur-carte.leaflet-container")
    map_box.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = map_box.bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in [(-40, 30), (40, 30), (0, -40), (90, 90)]:
        page.mouse.click(cx + dx, cy + dy)
    status = page.locator("[data-secteur-etat]")
    assert status.inner_text() == "Secteur tracé : 4 sommets."
    # The last click was a mistake: undo it.
    page.get_by_role("button", name="Retirer le dernier point").click()
    assert status.inner_text() == "Secteur tracé : 3 sommets."
    drawn = shapely.from_geojson(page.locator("#id_secteur_geojson").input_value())
    assert drawn.geom_type == "Polygon" and len(drawn.exterior.coords) == 4
    page.screenshot(path=SCREENSHOT_DIR / "socle-service-secteur-320.png", full_page=True)

    page.get_by_role("button", name="Créer le service").click()
    page.wait_for_url(f"{live_server.url}/gestion/pessac/")

    service = Service.objects.get(membre=pessac, nom="Espaces verts — secteur du centre")
    sector = shapely.from_wkb(bytes(service.secteur_wkb))
    inside = sector.centroid
    assert sector.contains(inside)
    found = route(inside.y, inside.x, "espaces-verts")
    assert found.commune is not None and found.commune.nom == "Pessac"
    assert found.service is not None and found.service.id == service.pk
    assert found.service_reason == "secteur"
    # Outside the triangle, in Pessac, the service without a sector answers, as before.
    minx, miny, maxx, maxy = sector.bounds
    outside = route(inside.y, inside.x + 3 * (maxx - minx), "espaces-verts")
    assert outside.service is None or outside.service.id != service.pk
    context.close()
