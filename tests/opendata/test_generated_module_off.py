"""A member without the open data module gets no generated dataset."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socle.opendata.models import Jeu
from socle.opendata.services import opendata_generate, opendata_generate_all
from tests.helpers.open311 import report


def test_it_generates_nothing_for_a_member_without_the_module(demo_members, citizen):
    bordeaux = demo_members.bordeaux
    assert "opendata" not in bordeaux.modules
    # A public report of Bordeaux (its street lighting), which a dataset would list.
    report((44.8410, -0.5800), code="eclairage", auteur=citizen)

    assert opendata_generate(membre=bordeaux) == []
    versions = opendata_generate_all()

    assert not Jeu.objects.filter(membre=bordeaux).exists()
    assert {version.jeu.membre for version in versions} == {
        demo_members.metropole,
        demo_members.pessac,
    }


def test_it_refuses_the_command_for_a_member_without_the_module(demo_members):
    with pytest.raises(CommandError, match="n’a pas activé le module Données ouvertes"):
        call_command("opendata_generer", "--collectivite", "bordeaux")
    assert not Jeu.objects.exists()
