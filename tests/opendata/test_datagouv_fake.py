"""The local fake of data.gouv.fr answers as udata does: 401 without a known key, 403 for
another organisation, 404 for an unknown dataset or resource, 400 for a malformed body."""

import json
import urllib.error
import urllib.request

import pytest

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.opendata.datagouv import DataGouvClient, DataGouvErreur
from tests.opendata.datagouv_helpers import KEY, ORG, ORGANISATIONS, OTHER_KEY

DATASET = {"title": "Budget", "description": "Le budget primitif.", "organization": {"id": ORG}}


@pytest.fixture
def server():
    with FakeDataGouvServer(organisations=ORGANISATIONS) as running:
        yield running


def _call(server, method, path, *, key=None, body=None, content_type="application/json"):
    headers = {"Content-Type": content_type}
    if key is not None:
        headers["X-API-KEY"] = key
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    # Loopback http:// only (the fake's own address).
    request = urllib.request.Request(  # noqa: S310
        f"{server.api_url}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_it_refuses_writes_without_a_known_key(server):
    assert _call(server, "POST", "/datasets/", body=DATASET)[0] == 401
    assert _call(server, "POST", "/datasets/", key="pas-la-bonne", body=DATASET)[0] == 401
    assert _call(server, "POST", "/datasets/", key=OTHER_KEY, body=DATASET)[0] == 403
    assert server.fake.datasets == {}
    status, created = _call(server, "POST", "/datasets/", key=KEY, body=DATASET)
    assert status == 201 and created["resources"] == [] and created["slug"] == "budget"
    assert (
        _call(server, "PUT", f"/datasets/{created['id']}/", key="x", body={"title": "B"})[0] == 401
    )
    assert (
        _call(server, "PUT", f"/datasets/{created['id']}/", key=OTHER_KEY, body={"title": "B"})[0]
        == 403
    )
    # Reads are public, as on data.gouv.fr.
    assert _call(server, "GET", f"/datasets/{created['id']}/")[0] == 200


def test_it_answers_404_for_what_does_not_exist(server):
    assert _call(server, "GET", "/datasets/inconnu/")[0] == 404
    assert _call(server, "PUT", "/datasets/inconnu/", key=KEY, body={"title": "B"})[0] == 404
    status, created = _call(server, "POST", "/datasets/", key=KEY, body=DATASET)
    client = DataGouvClient(api_key=KEY, base_url=server.api_url)
    with pytest.raises(DataGouvErreur) as error:
        client.resource_file_replace(
            created["id"], "00000000-0000-0000-0000-000000000000", "a.csv", b"a\n"
        )
    assert error.value.status == 404 and not error.value.retry
    with pytest.raises(DataGouvErreur) as error:
        client.resource_upload("inconnu", "a.csv", b"a\n")
    assert error.value.status == 404


@pytest.mark.parametrize(
    ("body", "content_type", "field"),
    [
        (b"{pas du json", "application/json", None),
        ({"description": "Sans titre", "organization": ORG}, "application/json", "title"),
        ({**DATASET, "license": "licence-maison"}, "application/json", "license"),
        ({**DATASET, "frequency": "parfois"}, "application/json", "frequency"),
        ({"title": "Sans organisation", "description": "…"}, "application/json", "organization"),
        (DATASET, "text/plain", None),
    ],
)
def test_it_answers_400_for_a_malformed_body(server, body, content_type, field):
    status, answer = _call(
        server, "POST", "/datasets/", key=KEY, body=body, content_type=content_type
    )
    assert status == 400
    if field:
        assert answer["message"] == "Validation error" and field in answer["errors"]
    assert server.fake.datasets == {}


def test_it_takes_an_upload_and_a_schema(server):
    client = DataGouvClient(api_key=KEY, base_url=server.api_url)
    dataset_id = client.dataset_create(DATASET)
    resource_id = client.resource_upload(dataset_id, "budget.csv", b"a,b\n1,2\n")
    [resource] = client.dataset_get(dataset_id)["resources"]
    assert resource["id"] == resource_id and resource["title"] == "budget.csv"
    assert resource["format"] == "csv" and resource["filesize"] == 8
    assert resource["checksum"]["type"] == "sha1"
    client.resource_update(
        dataset_id, resource_id, {"schema": {"name": "scdl/budget", "version": "0.8.1"}}
    )
    assert server.fake.datasets[dataset_id]["resources"][0]["schema"]["name"] == "scdl/budget"
    with pytest.raises(DataGouvErreur) as error:
        client.resource_update(dataset_id, resource_id, {"schema": "scdl/budget"})
    assert error.value.status == 400 and "schema" in error.value.message
    # Without its `file` part, an upload is refused.
    status, answer = _call(
        server,
        "POST",
        f"/datasets/{dataset_id}/upload/",
        key=KEY,
        body=b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
    )
    assert status == 400 and "file" in answer["errors"]


def test_it_fails_as_told(server):
    server.fake.fail_next(503, times=2)
    assert _call(server, "GET", "/datasets/x/")[0] == 503
    assert _call(server, "POST", "/datasets/", key=KEY, body=DATASET)[0] == 503
    assert _call(server, "POST", "/datasets/", key=KEY, body=DATASET)[0] == 201
