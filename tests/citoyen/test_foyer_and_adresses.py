"""Household and addresses: every field checked in one round, one home address."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from socle.citoyen.models import Adresse
from socle.citoyen.services import (
    adresse_create,
    adresse_delete,
    adresse_update,
    proche_create,
    proche_update,
)
from socle.routage.adresse import Place

PESSAC = Place("1 Avenue Jean Jaurès 33600 Pessac", 44.8072, -0.6295, "33318")


def test_it_checks_a_household_member_in_one_round(citizen):
    with pytest.raises(ValidationError) as caught:
        proche_create(usager=citizen, lien="cousin", prenom=" ", nom="", date_naissance=None)
    assert set(caught.value.message_dict) == {"lien", "prenom", "nom"}
    with pytest.raises(ValidationError) as caught:
        proche_create(usager=citizen, lien="enfant", prenom="Léa", nom="Citoyenne")
    assert caught.value.message_dict["date_naissance"] == [
        "Indiquez la date de naissance de l’enfant : les démarches la demandent."
    ]


def test_it_changes_only_the_citizens_own_household(citizen, other_citizen):
    lea = proche_create(
        usager=citizen,
        lien="enfant",
        prenom="Léa",
        nom="Citoyenne",
        date_naissance=date(2016, 5, 2),
    )
    with pytest.raises(PermissionError):
        proche_update(
            usager=other_citizen,
            proche=lea,
            lien="enfant",
            prenom="X",
            nom="Y",
            date_naissance=date(2016, 5, 2),
        )
    lea.refresh_from_db()
    assert lea.prenom == "Léa"


def test_it_checks_an_address_in_one_round(citizen):
    with pytest.raises(ValidationError) as caught:
        adresse_create(usager=citizen, libelle="", voie="", code_postal="336", commune_nom="")
    assert set(caught.value.message_dict) == {"libelle", "voie", "code_postal", "commune_nom"}
    assert caught.value.message_dict["code_postal"] == [
        "Le code postal compte 5 chiffres (par exemple : 33600)."
    ]


def test_it_keeps_one_home_address(citizen):
    home = adresse_create(
        usager=citizen,
        libelle="Domicile",
        voie="1 Avenue Jean Jaurès",
        code_postal="33600",
        commune_nom="Pessac",
        lieu=PESSAC,
    )
    assert home.principale and home.commune_code == "33318" and home.lat == 44.8072
    other = adresse_create(
        usager=citizen,
        libelle="Travail",
        voie="Place de la Victoire",
        code_postal="33000",
        commune_nom="Bordeaux",
    )
    assert not other.principale and other.commune_code == ""
    adresse_update(
        usager=citizen,
        adresse=other,
        libelle="Travail",
        voie="Place de la Victoire",
        code_postal="33000",
        commune_nom="Bordeaux",
        principale=True,
    )
    assert list(Adresse.objects.filter(usager=citizen, principale=True)) == [other]
    adresse_delete(usager=citizen, adresse=other)
    home.refresh_from_db()
    assert home.principale


def test_it_keeps_the_point_while_the_address_does_not_change(citizen):
    home = adresse_create(
        usager=citizen,
        libelle="Domicile",
        voie="1 Avenue Jean Jaurès",
        code_postal="33600",
        commune_nom="Pessac",
        lieu=PESSAC,
    )
    adresse_update(
        usager=citizen,
        adresse=home,
        libelle="Maison",
        voie="1 Avenue Jean Jaurès",
        complement="Bât. B",
        code_postal="33600",
        commune_nom="Pessac",
    )
    home.refresh_from_db()
    assert (home.libelle, home.commune_code) == ("Maison", "33318")
    adresse_update(
        usager=citizen,
        adresse=home,
        libelle="Maison",
        voie="3 rue Ailleurs",
        code_postal="33600",
        commune_nom="Pessac",
    )
    home.refresh_from_db()
    assert (home.commune_code, home.lat) == ("", None)
