"""With no tile server, the report form's map draws the territory's outline to click on."""

import json
import re
from html import unescape


def _outline(html: str) -> dict:
    found = re.search(r'data-contour="([^"]*)"', html)
    assert found, "the map has no data-contour attribute"
    return json.loads(unescape(found.group(1))) if found.group(1) else {}


def test_it_draws_the_loaded_departement_on_the_platforms_form(client, demo_members, settings):
    settings.MAP_TILES_URL = ""
    outline = _outline(client.get("/signaler/").content.decode())
    assert outline.get("type") in {"Polygon", "MultiPolygon"}
    # The Gironde, around Bordeaux (longitudes about -1.3 to 0.3).
    ring = (
        outline["coordinates"][0] if outline["type"] == "Polygon" else outline["coordinates"][0][0]
    )
    assert all(-1.4 < lon < 0.4 and 44.1 < lat < 45.6 for lon, lat in ring)


def test_it_draws_the_members_territory_on_its_form(client, demo_members, settings):
    settings.MAP_TILES_URL = ""
    html = client.get("/pessac/signalements/signaler/").content.decode()
    assert _outline(html).get("type") in {"Polygon", "MultiPolygon"}
