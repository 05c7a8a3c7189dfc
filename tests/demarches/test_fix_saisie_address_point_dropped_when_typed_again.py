"""An address typed again (without the script) after a suggestion was chosen: the old point and
commune code are stale, so they are dropped and what is typed now is geocoded."""

import pytest

from socle.demarches.saisie import FormData, answers_clean
from socle.routage import adresse
from socle.routage.adresse import AddressApiUnavailable

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
def geocoded(monkeypatch):
    asked = []

    def search(query, **_kwargs):
        asked.append(query)
        raise AddressApiUnavailable("down")

    monkeypatch.setattr(adresse, "address_search", search)
    return asked


def _clean(data):
    donnees, errors = answers_clean(SCHEMA, FormData(data))
    assert errors == {}
    return donnees["a"]


def test_it_keeps_the_point_of_the_chosen_suggestion(geocoded):
    answer = _clean(CHOSEN)
    assert (answer["lat"], answer["lon"], answer["commune_code"]) == (44.8072, -0.6295, "33318")
    # The saved answer posted again (its own label) keeps it too.
    again = {f"f-a-{k}": [str(v)] for k, v in answer.items()}
    assert _clean(again) == answer
    assert geocoded == []


def test_it_drops_the_point_when_the_address_was_typed_again(geocoded):
    typed = {
        **CHOSEN,
        "f-a-voie": ["3 Cours de l'Intendance"],
        "f-a-code_postal": ["33000"],
        "f-a-commune": ["Bordeaux"],
    }
    answer = _clean(typed)
    assert answer["lat"] is None and answer["lon"] is None and answer["commune_code"] == ""
    assert answer["label"] == "3 Cours de l'Intendance, 33000 Bordeaux"
    assert geocoded == ["3 Cours de l'Intendance 33000 Bordeaux"]
    # A point posted without any label: not trusted either.
    without = {k: v for k, v in CHOSEN.items() if k != "f-a-label"}
    assert _clean(without)["lat"] is None
