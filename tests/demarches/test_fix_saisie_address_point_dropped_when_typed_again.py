"""An address typed again (without the script) after a suggestion was chosen: the old point and
commune code are stale, so they are dropped and what is typed now is geocoded (through the local
fake of the national address API)."""

import pytest

from socle.demarches.saisie import FormData, answers_clean
from tests.helpers.adresse import fake_adresse  # noqa: F401 - the fixture

SCHEMA = {"pages": [{"titre": "P", "champs": [{"cle": "a", "type": "adresse", "libelle": "A"}]}]}
CHOSEN = {
    "f-a-label": ["1 Avenue Jean Jaurès 33600 Pessac"],
    "f-a-voie": ["1 Avenue Jean Jaurès"],
    "f-a-code_postal": ["33600"],
    "f-a-commune": ["Pessac"],
    "f-a-commune_code": ["33318"],
    "f-a-lat": ["44.8072"],
    "f-a-lon": ["-0.6295"],
}


@pytest.fixture
def address_api_down(settings):
    """Nothing listens at the address API's URL: a search would find nothing."""
    settings.ADDRESS_API_URL = "http://127.0.0.1:9"
    settings.ADDRESS_API_TIMEOUT = 0.5


def _clean(data):
    donnees, errors = answers_clean(SCHEMA, FormData(data))
    assert errors == {}
    return donnees["a"]


def test_it_keeps_the_point_of_the_chosen_suggestion(address_api_down):
    answer = _clean(CHOSEN)
    assert (answer["lat"], answer["lon"], answer["commune_code"]) == (44.8072, -0.6295, "33318")
    # The saved answer posted again (its own label) keeps it too.
    again = {f"f-a-{k}": [str(v)] for k, v in answer.items()}
    assert _clean(again) == answer


def test_it_geocodes_the_address_typed_again(fake_adresse):  # noqa: F811
    typed = {**CHOSEN, "f-a-voie": ["25 Avenue Jean Jaurès"]}
    answer = _clean(typed)
    # The fake knows n° 25: its point, not n° 1's.
    assert (answer["lat"], answer["lon"], answer["commune_code"]) == (44.8082, -0.6262, "33318")


def test_it_drops_the_point_when_the_typed_address_is_not_found(address_api_down):
    typed = {
        **CHOSEN,
        "f-a-voie": ["3 Cours de l'Intendance"],
        "f-a-code_postal": ["33000"],
        "f-a-commune": ["Bordeaux"],
    }
    answer = _clean(typed)
    assert answer["lat"] is None and answer["lon"] is None and answer["commune_code"] == ""
    assert answer["label"] == "3 Cours de l'Intendance, 33000 Bordeaux"
    # A point posted without any label: not trusted either.
    without = {k: v for k, v in CHOSEN.items() if k != "f-a-label"}
    assert _clean(without)["lat"] is None
