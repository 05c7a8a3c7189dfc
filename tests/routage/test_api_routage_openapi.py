"""GET /api/v1/openapi.json describes the API in OpenAPI 3.1, errors included."""

import json

from django.urls import reverse


def test_it_documents_routage_with_its_parameters_and_errors(client, db):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")
    operation = document["paths"]["/routage"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(parameters) == {"lat", "lon", "competence"}
    assert all(parameter["required"] for parameter in parameters.values())
    assert parameters["lat"]["schema"]["maximum"] == 90
    assert set(operation["responses"]) == {"200", "400", "404", "405"}
    error_ref = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error_ref == "#/components/schemas/Error"
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["code", "message", "details"]
    assert "competence_inconnue" in error["properties"]["code"]["enum"]
    assert "/competences" in document["paths"]


def test_every_reference_resolves(client, db):
    document = client.get(reverse("api:openapi")).json()

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(document):
        target = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert target, ref
