"""The profile: a French phone stored E.164; FranceConnect's birthdate is never overridden."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from socle.citoyen.selectors import prefill_sources
from socle.citoyen.services import profil_update
from socle.comptes.models import Identity


def _franceconnect(user, birthdate=date(1985, 3, 14)):
    return Identity.objects.create(
        user=user,
        provider=Identity.Provider.FRANCECONNECT,
        sub="fc-sub-camille",
        given_name="Camille",
        family_name="Citoyenne",
        birthdate=birthdate,
        verified_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 5 56 00 00 00", "+33556000000"),
        ("0262 12 34 56", "+262262123456"),
    ],
)
def test_it_stores_a_french_phone_in_e164(citizen, typed, stored):
    assert profil_update(usager=citizen, telephone=typed, date_naissance=None).telephone == stored


@pytest.mark.parametrize("typed", ["12", "+44 20 7946 0958", "06 12 34"])
def test_it_refuses_a_phone_that_is_not_french(citizen, typed):
    with pytest.raises(ValidationError) as caught:
        profil_update(usager=citizen, telephone=typed, date_naissance=date(2100, 1, 1))
    errors = caught.value.message_dict
    assert errors["telephone"] == [
        "Ce numéro de téléphone n’est pas un numéro français valide (par exemple : 06 12 34 56 78)."
    ]
    # Every field in one round.
    assert errors["date_naissance"] == ["La date de naissance ne peut pas être dans le futur."]


def test_it_never_overrides_the_birthdate_franceconnect_verified(citizen):
    _franceconnect(citizen)
    with pytest.raises(ValidationError) as caught:
        profil_update(usager=citizen, telephone="", date_naissance=date(1990, 1, 1))
    assert "vérifiée par FranceConnect" in caught.value.message_dict["date_naissance"][0]
    profil_update(usager=citizen, telephone="0612345678", date_naissance=None)
    values, verified = prefill_sources(citizen)
    assert values["usager.date_naissance"] == "1985-03-14"
    assert "usager.date_naissance" in verified


def test_it_shows_the_verified_identity_read_only(client, citizen):
    _franceconnect(citizen)
    client.force_login(citizen)
    page = client.get("/comptes/espace/profil/").content.decode()
    assert "vérifiée par FranceConnect" in page
    assert 'name="date_naissance"' not in page
    response = client.post("/comptes/espace/profil/", {"telephone": "abc"})
    assert response.status_code == 400
    assert "<title>Erreur : Mon profil" in response.content.decode()
