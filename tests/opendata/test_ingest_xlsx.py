"""XLSX workbooks: the one filled sheet is read (values, not formulas; dates in ISO 8601);
with several filled sheets the file is refused naming them, unless one is chosen."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from socle.opendata.reading import table_read


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


DONNEES = [
    ["nom", "date", "montant", "siret", "part", "total"],
    ["École", dt.datetime(2024, 3, 1), 1200.0, 21330318400012, 0.25, "=C2*2"],  # noqa: DTZ001 - spreadsheets hold naive dates
    ["Crèche", dt.date(2024, 3, 2), 300.5, 21330318400012, 1, None],
]


def test_it_reads_the_only_filled_sheet_as_csv():
    contenu = _xlsx({"Données": DONNEES, "Vide": [], "Notes vides": [[None, None]]})
    table = table_read(contenu, nom="subventions.xlsx")
    assert table.colonnes == ["nom", "date", "montant", "siret", "part", "total"]
    assert table.lignes[0][:5] == ["École", "2024-03-01", "1200", "21330318400012", "0.25"]
    assert table.lignes[1] == ["Crèche", "2024-03-02", "300.5", "21330318400012", "1", ""]
    assert table.avertissements == ["Feuille lue : « Données »."]


def test_it_reads_values_not_formulas():
    # openpyxl writes no cached value: a formula never becomes its text, nor is it computed.
    table = table_read(_xlsx({"Données": DONNEES}), nom="f.xlsx")
    assert table.lignes[0][5] == ""
    assert "=C2*2" not in table.csv_text


def test_it_refuses_several_filled_sheets_naming_them():
    contenu = _xlsx({"2023": DONNEES, "2024": DONNEES})
    with pytest.raises(ValidationError) as refused:
        table_read(contenu, nom="f.xlsx")
    assert refused.value.messages == [
        "Le classeur a plusieurs feuilles remplies (« 2023 », « 2024 ») : gardez-en une "
        "seule, ou indiquez laquelle publier."
    ]


def test_it_reads_the_sheet_chosen():
    contenu = _xlsx({"2023": DONNEES[:2], "2024": DONNEES})
    assert len(table_read(contenu, nom="f.xlsx", feuille="2024").lignes) == 2
    with pytest.raises(ValidationError) as refused:
        table_read(contenu, nom="f.xlsx", feuille="2025")
    assert (
        "pas de feuille « 2025 » : ses feuilles sont « 2023 », « 2024 »"
        in (refused.value.messages[0])
    )


def test_it_refuses_an_empty_workbook_and_duplicated_headers():
    with pytest.raises(ValidationError, match="Le classeur est vide"):
        table_read(_xlsx({"A": [], "B": []}), nom="f.xlsx")
    with pytest.raises(ValidationError, match="« nom »"):
        table_read(_xlsx({"A": [["nom", "nom"], [1, 2]]}), nom="f.xlsx")


def test_it_refuses_cells_outside_the_header():
    with pytest.raises(ValidationError) as refused:
        table_read(_xlsx({"A": [["a", "b"], [1, 2], [1, 2, 3]]}), nom="f.xlsx")
    assert "hors des colonnes de l’en-tête à la ligne 3" in refused.value.messages[0]


def test_it_recognises_a_workbook_without_its_extension():
    assert table_read(_xlsx({"A": DONNEES}), nom="sans-extension").colonnes[0] == "nom"
