"""Open311 answers in JSON and XML, with the same content, as GeoReport v2 shapes them.

A view builds plain Python data (dicts, lists, strings, numbers, booleans, None, datetimes) and
names the XML root element; lists become repeated child elements whose names come from
`ITEM_TAGS` (`services` → `service`…). JSON is the data itself: top-level arrays as in the
specification's examples. An empty value is `null` in JSON and an empty element in XML.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 - writing only

from django.http import HttpResponse
from django.utils import timezone

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    XML: "text/xml; charset=utf-8",
}

# The element of each item of a list, by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "service_requests_updates": "request_update",
    "errors": "error",
}


def w3c(moment: datetime | None) -> str | None:
    """Write a moment as a W3C datetime with its offset, in the platform's local time."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value) or ""
    return str(value)


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(SubElement(element, key), child)
    elif isinstance(value, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(SubElement(element, tag), child)
    else:
        element.text = _text(value)


def xml_bytes(root: str, data: Any) -> bytes:
    """Return the XML document of `data` under the element `root`."""
    element = Element(root)
    _fill(element, data)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="unicode").encode()
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return w3c(value)
    return str(value)  # lazy translations


def render(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    """Answer `data` in the format asked: JSON as it is, XML under `root`."""
    if fmt == JSON:
        body = json.dumps(data, ensure_ascii=False, default=_json_default).encode()
    else:
        body = xml_bytes(root, data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """Answer errors as the specification writes them: `errors/error{code, description}`."""
    fmt = fmt if fmt in FORMATS else XML
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render(fmt, "errors", errors, status=status)
