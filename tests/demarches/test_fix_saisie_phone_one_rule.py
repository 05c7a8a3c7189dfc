"""A form's phone answer follows the citizen's file rule (citoyen.services.phone_normalise):
the same numbers accepted, the same E.164, overseas ones included."""

import pytest

from socle.citoyen.services import phone_normalise
from socle.demarches import saisie


@pytest.mark.parametrize(
    "typed", ["06 12 34 56 78", "0690 12 34 56", "0262 12 34 56", "+687 75 12 34", "+681 72 12 34"]
)
def test_it_reads_phones_as_the_citizens_file_does(typed):
    assert saisie.phone_clean(typed) == phone_normalise(typed)


def test_it_says_why_a_phone_is_refused():
    with pytest.raises(saisie.Invalid) as foreign:
        saisie.phone_clean("+44 20 7946 0958")
    assert (
        foreign.value.message == "Donnez un numéro de téléphone français (métropole ou outre-mer)."
    )
    with pytest.raises(saisie.Invalid) as short:
        saisie.phone_clean("06 12 34")
    assert short.value.message == "Ce numéro de téléphone n’est pas valide : vérifiez-le."
    with pytest.raises(saisie.Invalid) as text:
        saisie.phone_clean("abc")
    assert "Saisissez un numéro" in text.value.message
