"""GET /api/v1/observatoire/projets and /projets/<slug>: the published projects, searched and
filtered; bad parameters get the API's JSON error shape with documented codes."""

import pytest
from django.urls import reverse

from socle.api.openapi import documented_error_codes

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db

LISTE = "/observatoire/projets"
FICHE = "/observatoire/projets/{slug}"


def _list(client, **params):
    return client.get(reverse("api-observatoire:projets"), params)


def test_it_searches_and_filters(client, observatoire):
    body = _list(client, q="signalement voirie application").json()
    assert body["count"] == 2
    assert {r["slug"] for r in body["results"]} == {
        observatoire.voirie.slug,
        observatoire.dkcl.slug,
    }
    assert body["facettes"]["themes"] == {"services-usagers": 2, "donnee": 1}
    response = client.get(
        reverse("api-observatoire:projets") + "?theme=inclusion&theme=donnee&statut=realise"
    )
    assert [r["slug"] for r in response.json()["results"]] == [observatoire.dkcl.slug]
    assert _list(client, departement="33").json()["count"] == 2
    assert _list(client, logiciel="publik").json()["count"] == 1
    assert _list(client, logiciel="inconnu").json()["count"] == 0
    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_pages(client, observatoire):
    body = _list(client, page_size="2").json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    body = _list(client, page_size="2", page="2").json()
    assert len(body["results"]) == 1 and body["next"] is None and "page=1" in body["previous"]


def test_it_gives_a_published_project_in_full(client, observatoire):
    response = client.get(reverse("api-observatoire:projet", args=[observatoire.voirie.slug]))
    assert response.status_code == 200
    body = response.json()
    assert body["titre"] == observatoire.voirie.titre
    assert body["budget"]["fonctionnement_annuel"] == 6000
    assert body["reutilisation"]["open_source"] is True


@pytest.mark.parametrize(
    "params, parametre",
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"theme": "voirie"}, "theme"),
        ({"statut": "fini"}, "statut"),
        ({"tranche": "enorme"}, "tranche"),
        ({"departement": "Gironde!"}, "departement"),
        ({"logiciel": "pas un slug"}, "logiciel"),
        ({"q": "x" * 201}, "q"),
        ({"pays": "fr"}, "pays"),
    ],
)
def test_it_refuses_bad_parameters_in_french(client, observatoire, params, parametre):
    response = _list(client, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parametre_invalide"
    assert error["details"]["parametre"] == parametre
    assert error["message"]  # in French, from the code
    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_refuses_a_repeated_single_parameter(client, observatoire):
    response = client.get(reverse("api-observatoire:projets") + "?page=1&page=2")
    assert response.status_code == 400
    assert "plusieurs fois" in response.json()["error"]["message"]


def test_it_answers_only_reads(client, observatoire):
    response = client.post(reverse("api-observatoire:projets"))
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "methode_non_autorisee"


def test_it_documents_every_error_it_returns(client, observatoire):
    document = client.get(reverse("api:openapi")).json()
    codes = documented_error_codes(document["paths"])
    seen = [
        (LISTE, _list(client, page="0")),
        (LISTE, client.post(reverse("api-observatoire:projets"))),
        (FICHE, client.get(reverse("api-observatoire:projet", args=["inconnu"]))),
        (FICHE, client.get(reverse("api-observatoire:projet", args=[observatoire.brouillon.slug]))),
        (FICHE, client.delete(reverse("api-observatoire:projet", args=["x"]))),
    ]
    for path, response in seen:
        code = response.json()["error"]["code"]
        assert code in codes[(path, "get", str(response.status_code))], (path, code)
    operation = document["paths"][LISTE]["get"]
    theme = next(p for p in operation["parameters"] if p["name"] == "theme")
    from socle.observatoire.themes import THEMES

    assert theme["schema"]["items"]["enum"] == list(THEMES)


def test_its_openapi_document_stays_valid(client, observatoire):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(client.get(reverse("api:openapi")).json())


def test_its_answers_follow_their_documented_schemas(client, observatoire):
    jsonschema = pytest.importorskip("jsonschema")
    document = client.get(reverse("api:openapi")).json()

    def check(name, instance):
        schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        jsonschema.Draft202012Validator(schema).validate(instance)

    check("ObservatoireProjets", _list(client).json())
    for projet in (observatoire.voirie, observatoire.dkcl):
        check(
            "ObservatoireProjet",
            client.get(reverse("api-observatoire:projet", args=[projet.slug])).json(),
        )
