"""The schemas shipped without official examples: a small file built from each schema's
example values passes, and the same file with a wrong cell fails on that cell."""

import pytest

from socle.opendata.reading import table_read
from socle.opendata.schemas import schema_load
from socle.opendata.validation import table_validate
from tests.opendata.exemples import exemple_csv

# schema → (column, wrong value, the error's title)
WRONG = {
    "scdl/deliberations": ("DELIB_DATE", "15/10/2017", "Format de date incorrect"),
    "scdl/budget": ("BGT_SECTION", "autre", "Valeur incorrecte"),
    "scdl/prenoms": ("NOMBRE_OCCURRENCES", "0", "Valeur trop petite"),
    "scdl/equipements": ("EQUIP_LAT", "nord", "Format de nombre incorrect"),
    "scdl/catalogue": ("LICENCE", "Domaine public", "Valeur incorrecte"),
}


@pytest.mark.parametrize("schema_name", sorted(WRONG))
def test_it_accepts_a_file_built_from_the_schema_examples(schema_name):
    csv_text = table_read(exemple_csv(schema_name).encode(), nom="f.csv").csv_text
    rapport = table_validate(csv_text, schema_load(schema_name))
    assert rapport.valide, rapport.texte()
    assert rapport.lignes == 1


@pytest.mark.parametrize("schema_name", sorted(WRONG))
def test_it_refuses_the_same_file_with_a_wrong_cell(schema_name):
    column, value, title = WRONG[schema_name]
    csv_text = exemple_csv(schema_name, {column: value})
    rapport = table_validate(csv_text, schema_load(schema_name))
    assert not rapport.valide
    assert [(e.ligne, e.colonne, e.valeur, e.titre) for e in rapport.erreurs] == [
        (3, column, value, title)
    ], rapport.texte()
    # In French, whatever frictionless said (validata leaves « minimum » in English).
    assert "constraint" not in rapport.texte().lower() and "cell" not in rapport.texte()


def test_it_words_in_french_the_bounds_validata_leaves_in_english():
    rapport = table_validate(
        exemple_csv("scdl/prenoms", {"NOMBRE_OCCURRENCES": "0"}), schema_load("scdl/prenoms")
    )
    assert rapport.erreurs[0].message == "La valeur doit être au moins égale à 1"
