"""Cells that look like formulas are data: read as text, published as they are, never run;
`csv_safe` neutralises them in the CSV files served for download."""

import pytest

from socle.core.tableur import csv_safe
from socle.opendata.reading import table_read


def test_it_reads_formulas_as_plain_text():
    table = table_read(b'nom;calcul\nA;"=SOMME(1;2)"\nB;"=HYPERLINK(""http://x"")"\n', nom="f.csv")
    assert table.lignes == [["A", "=SOMME(1;2)"], ["B", '=HYPERLINK("http://x")']]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SOMME(A1:A3)", "'=SOMME(A1:A3)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("Pessac", "Pessac"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_it_neutralises_values_a_spreadsheet_would_run(value, safe):
    assert csv_safe(value) == safe


@pytest.mark.parametrize("number", ["-12.5", "+33", "-0,75", "-1e-3", "+5"])
def test_it_leaves_plain_signed_numbers_alone(number):
    assert csv_safe(number) == number
