"""A small, static and accessible SVG map of a commune: its boundary and its mairie."""

import math

import shapely
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from socle.territoires.models import Collectivite, CommuneGeometry, RoutingVersion

WIDTH = 400.0
MARGIN = 8.0
CACHE_SECONDS = 24 * 3600


def _territory_version() -> int:
    version = RoutingVersion.objects.filter(pk=1).values_list("territory", flat=True).first()
    return version or 0


def _ring_path(coords, project) -> str:
    points = [project(lon, lat) for lon, lat in coords]
    if len(points) < 3:
        return ""
    head = "M{:.1f} {:.1f}".format(*points[0])
    tail = "".join("L{:.1f} {:.1f}".format(*point) for point in points[1:])
    return head + tail + "Z"


def _polygons(geometry):
    if geometry.geom_type == "Polygon":
        return [geometry]
    if geometry.geom_type in {"MultiPolygon", "GeometryCollection"}:
        return [part for part in geometry.geoms if part.geom_type == "Polygon"]
    return []


def _render(commune: Collectivite, wkb: bytes) -> str:
    geometry = shapely.from_wkb(wkb)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    # Plate carrée scaled by cos(latitude): good enough at a commune's size.
    ratio = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * ratio, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = (WIDTH - 2 * MARGIN) / max(span_x, span_y)
    width = span_x * scale + 2 * MARGIN
    height = span_y * scale + 2 * MARGIN

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - min_lon) * ratio * scale, MARGIN + (max_lat - lat) * scale)

    # Simplify to about one pixel of the drawing: a few hundred points at most.
    simplified = geometry.simplify(max(span_x, span_y) / WIDTH / ratio, preserve_topology=True)
    path = "".join(
        _ring_path(ring.coords, project)
        for polygon in _polygons(simplified)
        for ring in [polygon.exterior, *polygon.interiors]
    )
    label = _("Carte de %(nom)s : limites de la commune et emplacement de la mairie") % {
        "nom": commune.nom
    }
    marker = ""
    if commune.latitude is not None and commune.longitude is not None:
        x, y = project(commune.longitude, commune.latitude)
        if 0 <= x <= width and 0 <= y <= height:
            marker = format_html(
                '<g class="carte-mairie" transform="translate({} {})">'
                '<path d="M0 0 C-3 -8 -10 -11 -10 -18 A10 10 0 1 1 10 -18 '
                'C10 -11 3 -8 0 0Z"/><circle cx="0" cy="-18" r="4" class="carte-mairie-point"/>'
                "</g>",
                f"{x:.1f}",
                f"{y:.1f}",
            )
    return format_html(
        '<svg class="carte" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}" focusable="false">'
        "<title>{}</title>"
        '<path class="carte-commune" fill-rule="evenodd" d="{}"/>{}</svg>',
        f"{width:.0f}",
        f"{height:.0f}",
        label,
        label,
        path,
        marker,
    )


def commune_map_svg(commune: Collectivite) -> SafeString:
    """Return the commune's map as inline SVG, or an empty string when no boundary is known."""
    key = f"svgmap:{commune.code}:{_territory_version()}"
    svg = cache.get(key)
    if svg is None:
        wkb = CommuneGeometry.objects.filter(commune=commune).values_list("wkb", flat=True).first()
        svg = _render(commune, bytes(wkb)) if wkb else ""
        cache.set(key, svg, CACHE_SECONDS)
    # Built only from numbers and escaped text above.
    return mark_safe(svg)  # noqa: S308


def osm_url(commune: Collectivite) -> str:
    """Return the OpenStreetMap address of the mairie, or an empty string."""
    if commune.latitude is None or commune.longitude is None:
        return ""
    lat, lon = f"{commune.latitude:.5f}", f"{commune.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
