"""A number answer is plain decimal text: no exponent, at most 15 significant digits, refused
at once in French whatever its size."""

import time

import pytest

from socle.demarches.saisie import FormData, answers_clean

NOT_A_NUMBER = "Saisissez un nombre, par exemple 12 ou 12,5."


def _clean(text, **options):
    champ = {"cle": "n", "type": "nombre", "libelle": "N", **options}
    schema = {"pages": [{"titre": "P", "champs": [champ]}]}
    return answers_clean(schema, FormData({"f-n": [text]}))


@pytest.mark.parametrize(
    ("typed", "stored", "decimales"),
    [
        ("12", 12, 0),
        ("-3", -3, 0),
        ("1 250", 1250, 0),
        ("1\u202f250,5", 1250.5, 1),
        ("12.25", 12.25, 2),
        ("999999999999999", 999999999999999, 0),
        ("0,000001", 0.000001, 6),
    ],
)
def test_it_accepts_plain_decimal_text(typed, stored, decimales):
    assert _clean(typed, decimales=decimales) == ({"n": stored}, {})


@pytest.mark.parametrize(
    "typed",
    [
        "1e2000000",
        "1e5000",
        "1e400",
        "1E3",
        "inf",
        "NaN",
        "-Infinity",
        "0x10",
        "1,2,3",
        "٣",
        "1" * 41,
    ],
)
def test_it_refuses_exponents_and_non_finite_at_once(typed):
    started = time.monotonic()
    donnees, errors = _clean(typed, decimales=2)
    assert donnees == {} and errors == {"n": NOT_A_NUMBER}
    assert time.monotonic() - started < 0.5


def test_it_refuses_more_than_15_significant_digits():
    message = "15 chiffres significatifs au plus."
    assert _clean("1234567890123456")[1] == {"n": message}
    assert _clean("123456789012345,6", decimales=1)[1] == {"n": message}
    # Zeros that carry no digit do not count.
    assert _clean("000123456789012345")[0] == {"n": 123456789012345}
    assert _clean("12345678901234,5", decimales=1)[0] == {"n": 12345678901234.5}
