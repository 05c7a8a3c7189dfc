"""Files that cannot be published as they are get one clear French message each, before
anything is parsed when they are too big."""

import pytest
from django.core.exceptions import ValidationError

from socle.opendata.reading import table_read


def _refusal(contenu: bytes, nom: str = "f.csv") -> str:
    with pytest.raises(ValidationError) as refused:
        table_read(contenu, nom=nom)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize("contenu", [b"", b"  \r\n\r\n"])
def test_it_refuses_an_empty_file(contenu):
    assert _refusal(contenu) == "Le fichier est vide."


def test_it_refuses_a_file_with_only_its_header():
    assert "ne contient que la ligne d’en-tête" in _refusal(b"nom;commune\r\n;\r\n")


def test_it_refuses_duplicated_headers_naming_them():
    message = _refusal(b"nom;commune;nom;code;code\n1;2;3;4;5\n")
    assert "plusieurs fois" in message
    assert "« nom »" in message and "« code »" in message and "commune" not in message


def test_it_refuses_a_column_without_a_name():
    assert "colonnes sans nom (colonne 2)" in _refusal(b"nom;;code\n1;2;3\n")


def test_it_names_the_one_ragged_row():
    assert "(2 colonnes) à la ligne 2 :" in _refusal(b"a;b\n1;2;3\n")


def test_it_refuses_ragged_rows_with_their_numbers():
    message = _refusal(b"a;b;c\n1;2;3\n1;2\n1;2;3\n1;2;3;4\n")
    assert "3 colonnes" in message
    assert "aux lignes 3, 5 :" in message


def test_it_names_ten_ragged_rows_and_counts_the_others():
    contenu = b"a;b\n" + b"1\n" * 15
    assert "2, 3, 4, 5, 6, 7, 8, 9, 10, 11 et 5 autres" in _refusal(contenu)


def test_it_refuses_a_file_over_the_limit_before_parsing_it(settings):
    settings.OPENDATA_MAX_BYTES = 1000
    # Not even a CSV: the size is checked first.
    message = _refusal(b"\x00" * 1001, nom="gros.csv")
    assert message == "Le fichier pèse 1001 octets : la limite est de 1000 octets."


def test_it_refuses_a_hundred_megabytes_by_default():
    message = _refusal(b"a\n" + b"1\n" * (50 * 1024 * 1024))
    assert "100 Mo" in message


def test_it_refuses_binary_files_and_old_excel_workbooks():
    assert "binaire" in _refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", nom="photo.csv")
    assert ".xls" in _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, nom="v.xls")


def test_it_refuses_a_broken_workbook():
    assert "XLSX ne peut pas être lu" in _refusal(b"PK\x03\x04 broken", nom="cassé.xlsx")
