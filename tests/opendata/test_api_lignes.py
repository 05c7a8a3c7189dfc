"""GET /api/v1/donnees/<member|structure>/<dataset>/lignes: pages, filters by column, sorting,
versions; bad parameters and unknown columns are 400s, unknown datasets 404s, in the API's
error shape."""

import pytest
from django.urls import reverse

from socle.opendata.services import jeu_create
from tests.opendata.serve_data import (  # noqa: F401 - fixture
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


@pytest.fixture
def url(pessac, admin_pessac):
    jeu = subventions(pessac, admin_pessac)
    return reverse("api-opendata:lignes", args=["pessac", jeu.slug])


def test_it_pages_the_rows_with_the_count_and_the_next_page(client, url):
    first = client.get(url, {"page_size": 10})
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    body = first.json()
    assert body["count"] == 29 and body["page"] == 1 and body["page_size"] == 10
    assert body["version"] == 1
    assert len(body["results"]) == 10
    assert body["results"][0]["nomAttribuant"] == "ANTIBES"
    assert list(body["results"][0])[:3] == ["nomAttribuant", "idAttribuant", "dateConvention"]
    assert body["next"].startswith("http") and "page=2" in body["next"]
    last = client.get(url, {"page_size": 10, "page": 3}).json()
    assert len(last["results"]) == 9 and last["next"] is None
    beyond = client.get(url, {"page": 40}).json()
    assert beyond["results"] == [] and beyond["next"] is None
    assert client.get(url).json()["page_size"] == 50


def test_it_filters_by_exact_value_and_by_contained_text(client, url):
    exact = client.get(url, {"nomBeneficiaire": "ANTIBES RALLYE ASSOCIATION"}).json()
    assert [r["montant"] for r in exact["results"]] == ["33000"]
    assert "count" not in exact
    contains = client.get(url, {"nomBeneficiaire__contient": "rallye"}).json()
    assert [r["nomBeneficiaire"] for r in contains["results"]] == ["ANTIBES RALLYE ASSOCIATION"]
    both = client.get(url, {"nature": "aide en numéraire", "objet__contient": "fonction"}).json()
    assert both["results"] and all(
        r["nature"] == "aide en numéraire" and "fonction" in r["objet"].lower()
        for r in both["results"]
    )
    assert client.get(url, {"nomBeneficiaire": "rallye"}).json()["results"] == []


def test_it_sorts_by_a_column_both_ways(client, url):
    up = [r["dateConvention"] for r in client.get(url, {"tri": "dateConvention"}).json()["results"]]
    assert up == sorted(up)
    down = client.get(url, {"tri": "-dateConvention"}).json()["results"]
    assert [r["dateConvention"] for r in down] == sorted(up, reverse=True)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"page": "0"}, "parametre_invalide"),
        ({"page": "abc"}, "parametre_invalide"),
        ({"page_size": "1001"}, "parametre_invalide"),
        ({"page_size": "-5"}, "parametre_invalide"),
        ({"version": "x"}, "parametre_invalide"),
        ({"montnat": "1"}, "colonne_inconnue"),
        ({"montnat__contient": "1"}, "colonne_inconnue"),
        ({"tri": "montnat"}, "colonne_inconnue"),
        ({"tri": "-"}, "colonne_inconnue"),
    ],
)
def test_it_refuses_bad_parameters_with_a_french_400(client, url, params, code):
    response = client.get(url, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_it_refuses_a_parameter_given_twice(client, url):
    response = client.get(url + "?page=1&page=2")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parametre_invalide"


def test_it_reads_an_older_version_by_its_number(client, url, pessac, admin_pessac):
    jeu = pessac.jeux.get()
    publish(jeu, admin_pessac, subventions_head(2))
    assert client.get(url).json()["count"] == 2
    old = client.get(url, {"version": 1}).json()
    assert old["count"] == 29 and old["version"] == 1
    missing = client.get(url, {"version": 9})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "version_inconnue"


def test_it_answers_404_for_unknown_datasets_and_across_members(
    client, url, pessac, admin_pessac, demo_members
):
    with_opendata(demo_members.bordeaux)
    jeu_create(acting_user=admin_pessac, membre=pessac, titre="Vide")
    for path in (
        "/api/v1/donnees/bordeaux/subventions-versees/lignes",
        "/api/v1/donnees/structure/subventions-versees/lignes",
        "/api/v1/donnees/pessac/inconnu/lignes",
        "/api/v1/donnees/pessac/vide/lignes",
        "/api/v1/donnees/inconnue/subventions-versees/lignes",
        "/api/v1/donnees/pessac/vide/lignes",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "jeu_inconnu"
    without_opendata(pessac)
    assert client.get(url).status_code == 404


def test_it_serves_the_structures_datasets_and_refuses_writes(client, demo_members):
    lieux(None, None)
    path = "/api/v1/donnees/structure/lieux-publics/lignes"
    body = client.get(path, {"type": "sport"}).json()
    assert [r["nom"] for r in body["results"]] == ["Piscine"]
    refused = client.post(path)
    assert refused.status_code == 405
    assert refused.json()["error"]["code"] == "methode_non_autorisee"


def test_it_filters_on_any_column_name_safely(client, pessac, admin_pessac):
    # Column names are JSON keys for the database, never SQL (a name with a double quote is
    # not addressable by SQLite's JSON paths: such a filter finds nothing there).
    jeu = jeu_create(acting_user=admin_pessac, membre=pessac, titre="Noms étranges")
    weird = "b') OR 1=1 --"
    publish(jeu, admin_pessac, f"{weird},nom.avec.points,col[0],Année\nx,1,a,2020\ny,2,b,2021\n")
    path = reverse("api-opendata:lignes", args=["pessac", jeu.slug])
    assert [r[weird] for r in client.get(path, {weird: "y"}).json()["results"]] == ["y"]
    assert [r["Année"] for r in client.get(path, {"nom.avec.points": "1"}).json()["results"]] == [
        "2020"
    ]
    assert [r["Année"] for r in client.get(path, {"col[0]__contient": "B"}).json()["results"]] == [
        "2021"
    ]
    assert [r["Année"] for r in client.get(path, {"tri": "-Année"}).json()["results"]] == [
        "2021",
        "2020",
    ]
