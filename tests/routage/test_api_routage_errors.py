"""Bad input gets a 400, a point nowhere a 404, other methods a 405: all in one JSON shape."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]


def error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    ("params", "code", "parametre"),
    [
        ({"lat": "abc", "lon": "-0.57", "competence": "voirie"}, "coordonnees_invalides", "lat"),
        ({"lat": "44.8", "competence": "voirie"}, "parametre_manquant", "lon"),
        ({"lat": "", "lon": "-0.57", "competence": "voirie"}, "parametre_manquant", "lat"),
        ({"lat": "95", "lon": "-0.57", "competence": "voirie"}, "coordonnees_invalides", "lat"),
        ({"lat": "44.8", "lon": "200", "competence": "voirie"}, "coordonnees_invalides", "lon"),
        ({"lat": "NaN", "lon": "-0.57", "competence": "voirie"}, "coordonnees_invalides", "lat"),
        ({"lat": "44.8", "lon": "inf", "competence": "voirie"}, "coordonnees_invalides", "lon"),
        ({"lat": "44.8", "lon": "-1e999", "competence": "voirie"}, "coordonnees_invalides", "lon"),
        ({"lat": "44,8", "lon": "-0.57", "competence": "voirie"}, "coordonnees_invalides", "lat"),
        ({"lat": "4_4", "lon": "-0.57", "competence": "voirie"}, "coordonnees_invalides", "lat"),
        ({"lat": "44.8", "lon": "-0.57"}, "parametre_manquant", "competence"),
    ],
)
def test_it_rejects_bad_parameters_with_a_400(client, gironde, params, code, parametre):
    found = error(client.get(reverse("api:routage"), params), 400)
    assert found["code"] == code
    assert found["details"]["parametre"] == parametre


def test_it_explains_bad_coordinates_in_french(client, gironde):
    params = {"lat": "abc", "lon": "-0.57", "competence": "voirie"}
    found = error(client.get(reverse("api:routage"), params), 400)
    assert found["message"] == (
        "La latitude (paramètre « lat ») doit être un nombre décimal, avec un point : "
        "« abc » ne l'est pas."
    )
    params = {"lat": "95", "lon": "-0.57", "competence": "voirie"}
    found = error(client.get(reverse("api:routage"), params), 400)
    assert found["message"] == "La latitude doit être un nombre entre -90 et 90."


def test_it_lists_the_valid_competences_for_an_unknown_one(client, gironde):
    params = {"lat": "44.8", "lon": "-0.57", "competence": "trottinettes"}
    found = error(client.get(reverse("api:routage"), params), 400)
    assert found["code"] == "competence_inconnue"
    assert found["message"] == "Compétence inconnue : « trottinettes »."
    assert found["details"]["competence"] == "trottinettes"
    assert "voirie" in found["details"]["competences_valides"]
    assert "eclairage-public" in found["details"]["competences_valides"]


def test_it_says_hors_france_for_the_gulf_of_guinea(client, gironde):
    params = {"lat": "0", "lon": "0", "competence": "voirie"}
    found = error(client.get(reverse("api:routage"), params), 404)
    assert found["code"] == "hors_france"
    assert "hors de France" in found["message"]


def test_it_says_hors_commune_off_the_gironde_coast_with_the_nearest(client, gironde):
    params = {"lat": "44.9", "lon": "-1.35", "competence": "voirie"}
    found = error(client.get(reverse("api:routage"), params), 404)
    assert found["code"] == "hors_commune"
    nearest = found["details"]["commune_proche"]
    assert nearest["code"].startswith("33")
    assert 0 < nearest["distance_km"] < 20
    assert nearest["nom"] in found["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_other_methods_with_a_405(client, db, method):
    response = getattr(client, method)(reverse("api:routage"))
    found = error(response, 405)
    assert found["code"] == "methode_non_autorisee"
    assert "GET" in response["Allow"]


def test_it_refuses_a_post_on_the_catalogue_too(client, db):
    assert error(client.post(reverse("api:competences")), 405)["code"] == "methode_non_autorisee"
