"""Helpers of the Open311 tests: read an answer in either format, make keys and reports."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - our own server's answers
from typing import Any

from PIL import Image

V2 = "/open311/v2/"
SCOPE = "signalements.open311"
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


def xml_value(element: ET.Element) -> Any:
    """Turn an element into plain data: a list for the spec's lists, a dict, or text."""
    if element.tag in LIST_TAGS:
        return [xml_value(child) for child in element]
    children = list(element)
    if not children:
        return element.text or None
    return {child.tag: xml_value(child) for child in children}


LIST_TAGS = {
    "services",
    "attributes",
    "values",
    "endpoints",
    "formats",
    "service_requests",
    "service_requests_updates",
    "errors",
}


def parse(response) -> Any:
    """Return the answer's data, from JSON or from XML (checking the content type)."""
    if response["Content-Type"] == JSON_TYPE:
        return json.loads(response.content)
    assert response["Content-Type"] == XML_TYPE, response["Content-Type"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    return root.tag, xml_value(root)


def get(client, path: str, fmt: str = "json", **params) -> Any:
    """GET an endpoint in a format; return (response, data)."""
    response = client.get(f"{V2}{path}.{fmt}", params)
    return response, parse(response)


def as_json(value: Any) -> Any:
    """Write a JSON value as the XML reader gives it back (text, None for empty)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if value is None or value == "":
        return None
    return str(value)


def both(client, path: str, **params) -> tuple[Any, Any]:
    """GET an endpoint in both formats; assert they hold the same content; return both."""
    json_response, json_data = get(client, path, "json", **params)
    xml_response, (root, xml_data) = get(client, path, "xml", **params)
    assert json_response.status_code == xml_response.status_code
    assert as_json(json_data) == xml_data
    return json_data, root


def errors(response) -> list[dict]:
    """Return the spec's errors of an answer, as [{code, description}] in either format."""
    data = parse(response)
    if isinstance(data, tuple):
        root, items = data
        assert root == "errors"
        return [{"code": int(item["code"]), "description": item["description"]} for item in items]
    return data


def api_key(*, membre=None, scopes=(SCOPE,), rate: int = 60) -> str:
    """Create a key (the platform's, or a member's) and return its plaintext."""
    from socle.api.services import api_key_create

    _key, plaintext = api_key_create(
        acting_user=None,
        membre=membre,
        name="Application de test",
        scopes=list(scopes),
        rate_per_minute=rate,
    )
    return plaintext


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def report(point, *, code: str = "nid-de-poule", auteur=None, email: str = "", **extra):
    """File a report at a point, as the web form does, and return it."""
    from socle.signalements.services import signalement_create

    return signalement_create(
        categorie_code=code,
        description=extra.pop("description", "Un trou profond sur la chaussée."),
        lat=point[0],
        lon=point[1],
        auteur=auteur,
        email=email,
        **extra,
    )
