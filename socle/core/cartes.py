"""What pages with a map share."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse


def map_tiles_allowed(response: HttpResponse) -> HttpResponse:
    """Let the map tiles' host serve images on this page (the Content-Security-Policy allows
    only our own otherwise); nothing when no tile server is set. Return the response."""
    if settings.MAP_TILES_URL:
        parts = urlsplit(settings.MAP_TILES_URL.replace("{s}", "a"))
        origin = f"{parts.scheme}://{parts.netloc}".replace("://a.", "://*.")
        response._csp_update = {"img-src": [origin]}  # type: ignore[attr-defined]
    return response
