"""Find an address through the national address API (api-adresse.data.gouv.fr's format).

``GET <ADDRESS_API_URL>/search/?q=…&limit=5[&lat=…&lon=…]`` answers a GeoJSON FeatureCollection
whose features carry ``geometry.coordinates`` as ``[lon, lat]`` and ``properties`` such as
``label``, ``score``, ``citycode``, ``city`` and ``postcode``. The server calls it with a short
timeout (``ADDRESS_API_TIMEOUT``); any failure is one ``AddressApiUnavailable``, so that the page
can ask the person to pick the commune instead.
"""

from __future__ import annotations

import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# Results scoring below this are too far from what was typed to be offered.
MIN_SCORE = 0.4
MAX_RESULTS = 5


class AddressApiUnavailable(Exception):
    """The address API did not answer, answered too slowly, or answered nonsense."""


@dataclass(frozen=True)
class Place:
    """A place a person can mean: a found address, or a commune's mairie."""

    label: str
    lat: float
    lon: float
    citycode: str = ""
    score: float = 1.0


def _feature_place(feature: Any) -> Place | None:
    """Read one GeoJSON feature; None when it lacks what the page needs."""
    try:
        lon, lat = feature["geometry"]["coordinates"][:2]
        properties = feature.get("properties") or {}
        label = str(properties["label"]).strip()
        place = Place(
            label=label,
            lat=float(lat),
            lon=float(lon),
            citycode=str(properties.get("citycode") or ""),
            score=float(properties.get("score") or 0.0),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not label or not (math.isfinite(place.lat) and math.isfinite(place.lon)):
        return None
    return place


def address_search(
    query: str, *, lat: float | None = None, lon: float | None = None
) -> list[Place]:
    """Return the addresses matching ``query``, best first (none when nothing matches).

    ``lat``/``lon`` favour results near that point, as the API documents.
    """
    params: dict[str, str | int | float] = {"q": query.strip(), "limit": MAX_RESULTS}
    if lat is not None and lon is not None:
        params.update({"lat": round(lat, 6), "lon": round(lon, 6)})
    base = settings.ADDRESS_API_URL
    if not base.startswith(("https://", "http://")):
        raise AddressApiUnavailable("ADDRESS_API_URL is not an http(s) URL")
    url = f"{base}/search/?{urllib.parse.urlencode(params)}"
    # The scheme is checked above: http(s) only.
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.ADDRESS_API_TIMEOUT
        ) as response:
            data = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as error:
        # 400: the query is one the API refuses (too short, say); nothing to find then.
        if error.code == 400:
            return []
        logger.warning("address API answered %s", error.code)
        raise AddressApiUnavailable(str(error)) from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        logger.warning("address API unavailable: %s", error)
        raise AddressApiUnavailable(str(error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise AddressApiUnavailable("not a FeatureCollection")
    places = [_feature_place(feature) for feature in data["features"]]
    found = [place for place in places if place is not None and place.score >= MIN_SCORE]
    return sorted(found, key=lambda place: -place.score)[:MAX_RESULTS]
