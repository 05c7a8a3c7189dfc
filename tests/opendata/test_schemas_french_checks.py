"""The French checks: each one refuses the cell it is about, with its French message (SIRET,
sums and cohesion of votes, dates in order, Actes subjects, GPS coordinates in France and not
swapped, opening hours in OpenStreetMap's syntax)."""

from pathlib import Path

from socle.opendata.reading import table_read
from socle.opendata.schemas import schema_load
from socle.opendata.validation import table_validate
from tests.opendata.exemples import exemple_csv

SCHEMAS = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas"


def _errors(schema_name: str, *changes: dict[str, str]):
    rapport = table_validate(exemple_csv(schema_name, *changes), schema_load(schema_name))
    assert not rapport.valide
    return [(e.ligne, e.colonne, e.titre, e.message) for e in rapport.erreurs]


def test_it_checks_the_siret_key_of_subventions():
    csv_text = table_read(
        (SCHEMAS / "subventions" / "exemple_valide.csv").read_bytes(), nom="s.csv"
    ).csv_text
    lines = csv_text.splitlines()
    lines[1] = lines[1].replace("21060004500392", "21060004500393", 1)
    rapport = table_validate("\n".join(lines) + "\n", schema_load("scdl/subventions"))
    assert [(e.ligne, e.colonne, e.valeur, e.message) for e in rapport.erreurs] == [
        (2, "idAttribuant", "21060004500393", "La valeur n'est pas conforme au format Siret.")
    ]


def test_it_checks_the_siret_key_of_deliberations():
    assert _errors("scdl/deliberations", {"COLL_SIRET": "21860194600000"}) == [
        (3, "COLL_SIRET", "Format Invalide", "La valeur n'est pas conforme au format Siret.")
    ]


def test_it_checks_that_the_votes_add_up():
    errors = _errors("scdl/deliberations", {"VOTE_ABSTENTION": "4"})
    assert errors == [
        (
            3,
            "VOTE_REEL",
            "Somme de Colonnes Incorrecte",
            "La somme des valeurs des colonnes VOTE_POUR, VOTE_CONTRE, VOTE_ABSTENTION (39) "
            "est différent de celui trouvé dans la colonne VOTE_REEL (40)",
        )
    ]


def test_it_checks_that_vote_columns_are_filled_together():
    errors = _errors("scdl/deliberations", {"VOTE_REEL": ""})
    assert (3, "VOTE_EFFECTIF") in {(ligne, colonne) for ligne, colonne, _t, _m in errors}
    assert any("VOTE_REEL" in message and "vide" in message for *_, message in errors), errors


def test_it_checks_that_the_prefecture_received_it_after_the_vote():
    errors = _errors("scdl/deliberations", {"PREF_DATE": "2017-10-01"})
    assert errors == [
        (
            3,
            "PREF_DATE",
            "Erreur de Comparaison",
            "La valeur de la colonne PREF_DATE `2017-10-01` devrait être supérieure ou égale "
            "à la valeur de la colonne DELIB_DATE `2017-10-15`.",
        )
    ]


def test_it_checks_the_actes_subject():
    errors = _errors("scdl/deliberations", {"DELIB_MATIERE_NOM": "Sport/Piscines"})
    assert [(e[0], e[1]) for e in errors] == [(3, "DELIB_MATIERE_NOM")]
    assert "nomenclature Actes" in errors[0][3]


def test_it_finds_swapped_coordinates_of_an_equipement():
    errors = _errors("scdl/equipements", {"EQUIP_LAT": "2.572875", "EQUIP_LONG": "48.808989"})
    assert errors == [
        (
            3,
            "EQUIP_LAT",
            "Coordonnées GPS inversées",
            "La latitude et la longitude semblent inversées : interverties, elles tombent en "
            "France (« EQUIP_LAT » doit être la latitude).",
        )
    ]


def test_it_finds_an_equipement_outside_france():
    errors = _errors("scdl/equipements", {"EQUIP_LAT": "40.7128", "EQUIP_LONG": "-74.0060"})
    assert [(e[0], e[1], e[2]) for e in errors] == [
        (3, "EQUIP_LAT", "Coordonnées GPS hors de France")
    ]


def test_it_accepts_an_equipement_overseas():
    rapport = table_validate(
        exemple_csv("scdl/equipements", {"EQUIP_LAT": "-21.1151", "EQUIP_LONG": "55.5364"}),
        schema_load("scdl/equipements"),
    )
    assert rapport.valide, rapport.texte()


def test_it_finds_swapped_coordinates_of_a_charging_station():
    errors = _errors("etalab/schema-irve-statique", {"coordonneesXY": "[48.345345,7.48710500]"})
    assert errors == [
        (
            3,
            "coordonneesXY",
            "Coordonnées GPS Inversées",
            "Les coordonnées GPS semblent inversées et ne tombent pas en France",
        )
    ]


def test_it_checks_opening_hours_of_a_digital_mediation_place():
    errors = _errors("lieux-mediation-numerique", {"horaires": "du lundi au vendredi 9h-12h"})
    assert errors == [
        (
            3,
            "horaires",
            "Horaires d'Ouverture Incorrects",
            "Horaires d'ouverture incorrects. La valeur doit respecter la spécification "
            "OpenStreetMap (https://wiki.openstreetmap.org/wiki/Key:opening_hours) de "
            "description d'horaires d'ouverture.",
        )
    ]


def test_it_checks_opening_hours_of_an_equipement():
    errors = _errors("scdl/equipements", {"EQUIP_OUVERTURE": "9h-12h"})
    assert [(e[0], e[1], e[2]) for e in errors] == [
        (3, "EQUIP_OUVERTURE", "Horaires d'Ouverture Incorrects")
    ]
