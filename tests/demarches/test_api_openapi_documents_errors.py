"""The démarches endpoints are in the OpenAPI document and return only the error codes it lists
for each path, method and status."""

import json

import pytest
from django.urls import reverse

from socle.api.openapi import documented_error_codes
from tests.demarches.factories import bearer, make_key

pytestmark = pytest.mark.django_db


def test_each_error_is_documented(client, demo_members, dossier):
    document = client.get(reverse("api:openapi")).json()
    documented = documented_error_codes(document["paths"])
    _key, reader = make_key(demo_members.pessac)
    _key, decider = make_key(demo_members.pessac, scopes=["demarches.decider"])
    _key, platform = make_key(None)
    base = "/demarches/{slug}/dossiers"
    one = f"{base}/{{reference}}"
    ref = dossier.reference
    calls = [
        ("/demarches/{slug}", "get", "/api/v1/demarches/inconnu", platform, None),
        (base, "get", "/api/v1/demarches/pessac/dossiers?page_size=x", reader, None),
        (base, "get", "/api/v1/demarches/bordeaux/dossiers", reader, None),
        (one, "get", "/api/v1/demarches/pessac/dossiers/D-NONE", reader, None),
        (one, "get", f"/api/v1/demarches/pessac/dossiers/{ref}", reader, None),
        (
            f"{one}/pieces/{{id}}",
            "get",
            f"/api/v1/demarches/pessac/dossiers/{ref}/pieces/9",
            reader,
            None,
        ),
        (f"{one}/statut", "post", f"/api/v1/demarches/pessac/dossiers/{ref}/statut", decider, "{"),
        (f"{one}/statut", "post", f"/api/v1/demarches/pessac/dossiers/{ref}/statut", reader, "{}"),
        (
            f"{one}/statut",
            "post",
            f"/api/v1/demarches/pessac/dossiers/{ref}/statut",
            decider,
            json.dumps({"statut": "x"}),
        ),
        (
            f"{one}/statut",
            "post",
            f"/api/v1/demarches/pessac/dossiers/{ref}/statut",
            decider,
            json.dumps({"statut": "refuse"}),
        ),
    ]
    statuses = set()
    for path, method, url, key, body in calls:
        if method == "get":
            response = client.get(url, **bearer(key))
        else:
            response = client.post(url, body, content_type="application/json", **bearer(key))
        code = response.json()["error"]["code"]
        assert code in documented[(path, method, str(response.status_code))], (url, code)
        statuses.add(response.status_code)
    assert statuses == {400, 403, 404, 409, 422}
