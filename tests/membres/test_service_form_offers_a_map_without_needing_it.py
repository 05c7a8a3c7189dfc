"""The service form draws the sector on a map when scripts run, and works without them."""

import html as html_module
import json
import re

import pytest
import shapely

from socle.membres.models import Service
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

PESSAC_CENTRE = shapely.Point(-0.6315, 44.8067)
BORDEAUX_CENTRE = shapely.Point(-0.5792, 44.8378)
TRIANGLE = (
    '{"type":"Polygon","coordinates":[[[-0.64,44.80],[-0.62,44.80],[-0.63,44.815],[-0.64,44.80]]]}'
)


@pytest.fixture
def admin(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    return client


def _attribute(html: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', html)
    assert match, name
    return html_module.unescape(match.group(1))


def test_it_gives_the_map_the_member_outline_and_keeps_the_textarea(admin):
    response = admin.get("/gestion/pessac/services/nouveau/")
    html = response.content.decode()

    outline = shapely.from_geojson(_attribute(html, "data-contour"))
    assert outline.contains(PESSAC_CENTRE) and not outline.contains(BORDEAUX_CENTRE)
    # Hidden until the script shows it; the textarea is the field, with or without the map.
    assert re.search(r'<div class="secteur-editeur"[^>]*\shidden>', html)
    assert 'data-cible="id_secteur_geojson"' in html
    assert '<textarea name="secteur_geojson"' in html
    # Scripts and styles come from static files only (Content-Security-Policy).
    assert "/static/membres/vendor/leaflet/leaflet.js" in html
    assert "/static/membres/secteur.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert_accessible(response)


def test_it_outlines_the_whole_metropole(client, demo_members, operateur):
    client.force_login(operateur)
    html = client.get("/gestion/bordeaux-metropole/services/nouveau/").content.decode()
    outline = shapely.from_geojson(_attribute(html, "data-contour"))
    assert outline.contains(PESSAC_CENTRE) and outline.contains(BORDEAUX_CENTRE)


def test_it_saves_a_pasted_sector_and_shows_it_on_the_map_when_editing(admin, demo_members):
    response = admin.post(
        "/gestion/pessac/services/nouveau/", {"nom": "Secteur sud", "secteur_geojson": TRIANGLE}
    )
    assert response.status_code == 302
    service = Service.objects.get(membre=demo_members.pessac, nom="Secteur sud")
    assert shapely.from_wkb(bytes(service.secteur_wkb)).contains(shapely.Point(-0.63, 44.805))

    html = admin.get(f"/gestion/pessac/services/{service.pk}/").content.decode()
    shown = json.loads(_attribute(html, "data-secteur"))
    assert shapely.from_geojson(json.dumps(shown)).contains(shapely.Point(-0.63, 44.805))
