"""A local stand-in for the national address API (api-adresse.data.gouv.fr), for demo and tests.

It answers as the API documents, for a few addresses of the Gironde:

- `GET /search/?q=…&limit=5[&lat=…&lon=…]` → a GeoJSON FeatureCollection (`type`, `version`,
  `features`, `attribution`, `licence`, `query`, `limit`); each feature is a `Point` whose
  `coordinates` are `[lon, lat]`, with `properties` `label`, `score`, `housenumber`, `id`,
  `name`, `postcode`, `citycode`, `x`, `y`, `city`, `context`, `type`, `importance`, `street`;
- a `q` shorter than 3 characters, a bad `limit`, `lat` or `lon` → 400 with
  `{"code": 400, "message": "Failed parsing query", "detail": [...]}`.

Scores, like the real ones, fall from about 0.97 for what was typed exactly to near 0 for a
word in common. Tests make it slow (`server.delay`) or failing (`server.fail_status`).
Plain Python, no Django; loopback only.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from socle.demo.servers import LoopbackServer


@dataclass(frozen=True)
class FakeAddress:
    housenumber: str
    street: str
    postcode: str
    city: str
    citycode: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        name = f"{self.housenumber} {self.street}".strip()
        return f"{name} {self.postcode} {self.city}"


# Points checked to lie in their commune (tests/routage/test_contact_fake_adresse.py).
ADDRESSES = (
    FakeAddress("1", "Avenue Jean Jaurès", "33600", "Pessac", "33318", 44.8072, -0.6295),
    FakeAddress("25", "Avenue Jean Jaurès", "33600", "Pessac", "33318", 44.8082, -0.6262),
    FakeAddress("1", "Avenue Jean Jaurès", "33400", "Talence", "33522", 44.8046, -0.5886),
    FakeAddress("", "Place de la Ve République", "33600", "Pessac", "33318", 44.8066, -0.6317),
    FakeAddress("", "Place Pioceau", "33330", "Saint-Émilion", "33394", 44.8936, -0.1556),
    FakeAddress("4", "Rue Guadet", "33330", "Saint-Émilion", "33394", 44.8942, -0.1547),
    FakeAddress("", "Place de la Victoire", "33000", "Bordeaux", "33063", 44.8310, -0.5729),
)


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [word for word in re.split(r"[^a-z0-9]+", plain) if word]


def _score(query: list[str], address: FakeAddress) -> float:
    label = _words(address.label)
    hits = sum(1 for word in query if word in label)
    if not hits:
        return 0.0
    return round(0.97 * hits / len(query) * (0.5 + 0.5 * hits / len(label)), 4)


def _feature(address: FakeAddress, score: float) -> dict[str, Any]:
    street_id = f"{address.citycode}_{abs(hash(address.street)) % 10000:04d}"
    kind = "housenumber" if address.housenumber else "street"
    name = f"{address.housenumber} {address.street}".strip()
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [address.lon, address.lat]},
        "properties": {
            "label": address.label,
            "score": score,
            **({"housenumber": address.housenumber} if address.housenumber else {}),
            "id": f"{street_id}_{address.housenumber or '0000'}",
            "name": name,
            "postcode": address.postcode,
            "citycode": address.citycode,
            # Lambert-93, rough: the page does not read it.
            "x": round(700000 + (address.lon + 0.6) * 79000, 2),
            "y": round(6420000 + (address.lat - 44.8) * 111000, 2),
            "city": address.city,
            "context": "33, Gironde, Nouvelle-Aquitaine",
            "type": kind,
            "importance": 0.6,
            "street": address.street,
        },
    }


class FakeAdresseApp:
    """The WSGI application: /search/ only, as the API answers it."""

    def __init__(self, addresses: Iterable[FakeAddress] = ADDRESSES):
        self.addresses = list(addresses)
        self.delay = 0.0
        self.fail_status: int | None = None
        self.queries: list[dict[str, str]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> list[bytes]:
        params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        self.queries.append(params)
        if self.delay:
            time.sleep(self.delay)
        if self.fail_status:
            return self._json(start_response, self.fail_status, {"message": "Service indisponible"})
        if environ.get("PATH_INFO") not in ("/search/", "/search"):
            return self._json(start_response, 404, {"code": 404, "message": "Not Found"})
        errors = self._check(params)
        if errors:
            body = {"code": 400, "message": "Failed parsing query", "detail": errors}
            return self._json(start_response, 400, body)
        query = params["q"]
        limit = int(params.get("limit", "5"))
        words = _words(query)
        scored = sorted(
            ((score, address) for address in self.addresses if (score := _score(words, address))),
            key=lambda pair: -pair[0],
        )
        body = {
            "type": "FeatureCollection",
            "version": "draft",
            "features": [_feature(address, score) for score, address in scored[:limit]],
            "attribution": "BAN",
            "licence": "ETALAB-2.0",
            "query": query,
            "limit": limit,
        }
        return self._json(start_response, 200, body)

    @staticmethod
    def _check(params: dict[str, str]) -> list[str]:
        errors = []
        query = params.get("q", "").strip()
        if not (3 <= len(query) <= 200) or not query[0].isalnum():
            errors.append(
                "q: must contain between 3 and 200 chars and start with a number or a letter"
            )
        if "limit" in params and not (
            params["limit"].isdigit() and 1 <= int(params["limit"]) <= 20
        ):
            errors.append("limit: must be an integer between 1 and 20")
        for name, bound in (("lat", 90), ("lon", 180)):
            if name in params:
                try:
                    if abs(float(params[name])) > bound:
                        raise ValueError
                except ValueError:
                    errors.append(f"{name}: must be a float between -{bound} and {bound}")
        if ("lat" in params) != ("lon" in params):
            errors.append("lat and lon must be given together")
        return errors

    @staticmethod
    def _json(start_response: Callable, status: int, body: dict[str, Any]) -> list[bytes]:
        reasons = {200: "OK", 400: "Bad Request", 404: "Not Found"}
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(
            f"{status} {reasons.get(status, 'Error')}",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(data))),
                ("Access-Control-Allow-Origin", "*"),
            ],
        )
        return [data]


class FakeAdresseServer(LoopbackServer):
    """Serve the fake address API on loopback in a background thread (a context manager)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
        super().__init__(FakeAdresseApp(), host=host, port=port, verbose=verbose)
