"""Errors as the specification writes them, whatever the endpoint: an unknown format suffix is
a 404, a wrong method a 405, in `errors/error{code, description}` or its JSON array."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - our own server's answers

from tests.helpers.open311 import JSON_TYPE, V2, XML_TYPE

ENDPOINTS = [
    "discovery",
    "services",
    "services/nid-de-poule",
    "requests",
    "requests/ABCDEFGH",
    "tokens/ABC:def",
    "servicerequestupdates",
]


def test_it_answers_404_for_an_unknown_format(client, db):
    for endpoint in ENDPOINTS:
        response = client.get(f"{V2}{endpoint}.html")
        assert response.status_code == 404, endpoint
        assert response["Content-Type"] == XML_TYPE
        root = ET.fromstring(response.content)  # noqa: S314
        assert root.tag == "errors"
        assert root.find("error/code").text == "404"
        assert "json" in root.find("error/description").text


def test_it_answers_405_for_a_wrong_method_in_the_asked_format(client, db):
    for endpoint in ENDPOINTS:
        for method in ("post", "put", "delete"):
            if endpoint == "requests" and method == "post":
                continue
            response = getattr(client, method)(f"{V2}{endpoint}.json")
            assert response.status_code == 405, (endpoint, method)
            assert response["Content-Type"] == JSON_TYPE
            [error] = json.loads(response.content)
            assert error["code"] == 405 and method.upper() in error["description"]
            assert "GET" in response["Allow"]
    response = client.delete(f"{V2}requests.xml")
    assert response.status_code == 405 and response["Content-Type"] == XML_TYPE
    assert "POST" in response["Allow"]
