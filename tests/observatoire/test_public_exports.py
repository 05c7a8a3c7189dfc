"""/observatoire/projets.json and .csv: every published project, streamed, no personal data;
a CSV cell a spreadsheet would run as a formula is neutralised."""

import csv
import io
import json

import pytest
from django.urls import reverse

from socle.observatoire.exports import csv_safe
from socle.observatoire.services import projet_update

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


def _get(client, format):
    response = client.get(reverse("observatoire-site:export", args=[format]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Access-Control-Allow-Origin"] == "*"
    assert f'filename="projets-observatoire.{format}"' in response["Content-Disposition"]
    return response, b"".join(response.streaming_content).decode("utf-8")


def test_it_exports_the_published_projects_as_json(client, observatoire):
    response, body = _get(client, "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    records = {record["slug"]: record for record in json.loads(body)}
    assert set(records) == {
        observatoire.voirie.slug,
        observatoire.dkcl.slug,
        observatoire.ecoles.slug,
    }
    voirie = records[observatoire.voirie.slug]
    assert voirie["budget"]["investissement"] == 45000
    assert voirie["budget"]["financements"][0]["montant"] == 20000
    assert voirie["themes"] == [{"code": "services-usagers", "libelle": "Services aux usagers"}]
    assert voirie["porteur"]["nom"] == "Pessac"
    assert [a["nom"] for a in voirie["collectivites_concernees"]] == ["Bordeaux"]
    assert voirie["logiciels"] == [{"nom": "Publik", "slug": "publik", "libre": True}]
    assert voirie["url"].endswith(f"/observatoire/projets/{observatoire.voirie.slug}/")
    assert "contacts" not in voirie and "cree_par" not in voirie


def test_it_exports_the_published_projects_as_csv_without_formulas(client, observatoire, operateur):
    projet_update(
        acting_user=operateur,
        projet=observatoire.ecoles,
        resume="=1+2",
        savoir_faire=["@SUM(A1:A9)", "-2+3", "+33 5 56"],
        enseignements="-42",
    )
    response, body = _get(client, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body))}
    assert len(rows) == 3
    assert rows[observatoire.ecoles.slug]["resume"] == "'=1+2"
    assert rows[observatoire.ecoles.slug]["savoir_faire"].startswith("'@SUM")
    assert rows[observatoire.ecoles.slug]["enseignements"] == "-42"  # a plain number
    assert rows[observatoire.voirie.slug]["financements"].startswith("'=HYPERLINK")
    assert rows[observatoire.voirie.slug]["open_source"] == "oui"
    assert rows[observatoire.voirie.slug]["logiciels"] == "Publik"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value


def test_it_neutralises_what_a_spreadsheet_would_run():
    assert csv_safe("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert csv_safe("+SUM(1)") == "'+SUM(1)"
    assert csv_safe("\t=1") == "'\t=1"
    assert csv_safe("-12,5") == "-12,5"
    assert csv_safe(None) == ""


def test_it_exports_an_empty_list_when_nothing_is_published(client, demo_members):
    assert json.loads(_get(client, "json")[1]) == []
    assert _get(client, "csv")[1].startswith("slug,titre,")
