"""The files of a dataset: stable addresses for the latest and each version, CSV, JSON and
GeoJSON, Last-Modified and ETag with conditional GET, CSV cells neutralised against formulas."""

import csv
import io
import json

import pytest
from django.utils.http import http_date

from socle.opendata.models import Jeu
from socle.opendata.services import jeu_create
from tests.opendata.serve_data import (  # noqa: F401 - fixture
    SUBVENTIONS,
    lieux,
    opendata_media,
    publish,
    subventions,
    subventions_head,
    with_opendata,
    without_opendata,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pessac(demo_members):
    return with_opendata(demo_members.pessac)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_body(response).decode("utf-8"))))


def test_it_serves_the_latest_csv_with_its_dates_and_checksum(client, pessac, admin_pessac):
    jeu = subventions(pessac, admin_pessac)
    version = jeu.versions.get()
    response = client.get("/pessac/donnees/subventions-versees.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Last-Modified"] == http_date(version.publie_le.timestamp())
    assert version.sha256 in response["ETag"]
    assert response["Content-Disposition"] == (
        'attachment; filename="pessac-subventions-versees-v1.csv"'
    )
    rows = _csv(response)
    expected = list(csv.reader(io.StringIO(SUBVENTIONS.read_text(encoding="utf-8"))))
    assert rows == [row for row in expected if any(row)]


def test_it_answers_304_to_a_client_that_has_the_file(client, pessac, admin_pessac):
    subventions(pessac, admin_pessac)
    url = "/pessac/donnees/subventions-versees.csv"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == (
        200
    )


def test_it_keeps_each_versions_address_after_a_new_version(client, pessac, admin_pessac):
    jeu = subventions(pessac, admin_pessac)
    old_etag = client.get("/pessac/donnees/subventions-versees.csv")["ETag"]
    publish(jeu, admin_pessac, subventions_head(2))

    latest = client.get("/pessac/donnees/subventions-versees.csv")
    assert len(_csv(latest)) == 1 + 2
    assert latest["ETag"] != old_etag
    # The client that had version 1 as « latest » now gets version 2.
    assert (
        client.get(
            "/pessac/donnees/subventions-versees.csv", HTTP_IF_NONE_MATCH=old_etag
        ).status_code
        == 200
    )

    first = client.get("/pessac/donnees/subventions-versees/versions/1.csv")
    assert len(_csv(first)) == 1 + 29
    assert first["ETag"] == old_etag
    assert "immutable" in first["Cache-Control"]
    second = client.get("/pessac/donnees/subventions-versees/versions/2.csv")
    assert len(_csv(second)) == 1 + 2
    assert second["Last-Modified"] == latest["Last-Modified"]
    assert client.get("/pessac/donnees/subventions-versees/versions/3.csv").status_code == 404


def test_it_serves_json_records(client, pessac, admin_pessac):
    subventions(pessac, admin_pessac)
    response = client.get("/pessac/donnees/subventions-versees.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    records = json.loads(_body(response))
    assert len(records) == 29
    assert records[1]["nomBeneficiaire"] == "ANTIBES RALLYE ASSOCIATION"
    assert records[1]["montant"] == "33000"


def test_it_serves_geojson_only_for_geographic_data(client, pessac, admin_pessac):
    subventions(pessac, admin_pessac)
    assert client.get("/pessac/donnees/subventions-versees.geojson").status_code == 404
    lieux(pessac, admin_pessac)
    response = client.get("/pessac/donnees/lieux-publics.geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(_body(response))
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["nom"] for f in collection["features"]] == ["Médiathèque", "Piscine"]
    assert collection["features"][0]["geometry"] == {
        "type": "Point",
        "coordinates": [-0.631, 44.806],
    }
    # No point, out of range, unreadable: skipped, and counted.
    assert response["X-Lignes-Ignorees"] == "3"


def test_it_neutralises_formulas_in_csv_cells(client, pessac, admin_pessac):
    jeu = jeu_create(acting_user=admin_pessac, membre=pessac, titre="Formules")
    publish(
        jeu,
        admin_pessac,
        "nom,valeur\n=1+1,-12.5\n\"+CMD|' /C calc'!A0\",@SUM(A1)\n-2+3,ok\n",
    )
    rows = _csv(client.get("/pessac/donnees/formules.csv"))
    assert rows == [
        ["nom", "valeur"],
        ["'=1+1", "-12.5"],
        ["'+CMD|' /C calc'!A0", "'@SUM(A1)"],
        ["'-2+3", "ok"],
    ]
    # JSON is data, not a spreadsheet: served as published.
    records = json.loads(_body(client.get("/pessac/donnees/formules.json")))
    assert records[0]["nom"] == "=1+1"


def test_it_refuses_files_across_members_and_unpublished_datasets(
    client, pessac, admin_pessac, demo_members
):
    subventions(pessac, admin_pessac)
    with_opendata(demo_members.bordeaux)
    jeu_create(acting_user=admin_pessac, membre=pessac, titre="Vide")
    for url in (
        "/bordeaux/donnees/subventions-versees.csv",
        "/bordeaux/donnees/subventions-versees/versions/1.csv",
        "/donnees/structure/subventions-versees.csv",
        "/pessac/donnees/vide.csv",
        "/pessac/donnees/vide/versions/1.json",
    ):
        assert client.get(url).status_code == 404, url
    without_opendata(pessac)
    assert client.get("/pessac/donnees/subventions-versees.csv").status_code == 404


def test_it_serves_the_structures_own_files(client, demo_members):
    jeu = lieux(None, None)
    assert jeu.membre is None and Jeu.objects.filter(membre=None).count() == 1
    response = client.get("/donnees/structure/lieux-publics/versions/1.csv")
    assert response.status_code == 200
    assert 'filename="structure-lieux-publics-v1.csv"' in response["Content-Disposition"]
    assert client.get("/donnees/structure/lieux-publics.geojson").status_code == 200
    assert client.post("/donnees/structure/lieux-publics.csv").status_code == 405
