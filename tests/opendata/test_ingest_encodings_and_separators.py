"""Uploaded CSV files in the encodings and separators French spreadsheets write are read into
UTF-8, comma-separated CSV; the encoding read is told when it was not UTF-8."""

import pytest

from socle.opendata.reading import table_read

EXPECTED = 'nom,commune,montant\nÉcole Jules-Ferry,Pessac,"1 200,50"\nCrèche,Bègles,300\n'
ROWS = [
    ["nom", "commune", "montant"],
    ["École Jules-Ferry", "Pessac", "1 200,50"],
    ["Crèche", "Bègles", "300"],
]


def _csv(separator: str, line_end: str = "\r\n") -> str:
    lines = []
    for row in ROWS:
        cells = [f'"{cell}"' if separator in cell or "," in cell else cell for cell in row]
        lines.append(separator.join(cells))
    return line_end.join(lines) + line_end


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_it_sniffs_the_separator_from_the_header_line(separator):
    table = table_read(_csv(separator).encode("utf-8"), nom="fichier.csv")
    assert table.csv_text == EXPECTED
    assert table.colonnes == ["nom", "commune", "montant"]
    assert table.avertissements == []


def test_it_reads_utf8_with_a_bom_without_keeping_it():
    table = table_read(b"\xef\xbb\xbf" + _csv(";").encode("utf-8"), nom="bom.csv")
    assert table.csv_text == EXPECTED
    assert table.colonnes[0] == "nom"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_it_reads_windows_1252_and_latin1_and_says_so(encoding):
    table = table_read(_csv(";").encode(encoding), nom="excel.csv")
    assert table.csv_text == EXPECTED
    assert len(table.avertissements) == 1
    assert "Windows-1252" in table.avertissements[0]


def test_it_reads_the_utf16_text_excel_writes():
    table = table_read(_csv("\t").encode("utf-16"), nom="unicode.txt")
    assert table.csv_text == EXPECTED
    assert "UTF-16" in table.avertissements[0]


def test_it_keeps_quoted_line_breaks_and_writes_unix_line_ends():
    table = table_read(b'a;b\r\n"ligne 1\r\nligne 2";x\r\n', nom="multi.csv")
    assert table.csv_text == 'a,b\n"ligne 1\r\nligne 2",x\n'
    assert table.lignes == [["ligne 1\r\nligne 2", "x"]]


def test_it_drops_empty_trailing_lines_and_unnamed_empty_columns():
    table = table_read(b"a;b;;\r\n1;2;;\r\n;;;\r\n;;;\r\n", nom="excel.csv")
    assert table.csv_text == "a,b\n1,2\n"
