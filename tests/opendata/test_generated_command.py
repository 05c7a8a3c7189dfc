"""`socle opendata_generer` runs the generation here, or enqueues it for the workers."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socle.opendata.models import Jeu, Version


def test_it_generates_a_member_by_its_collectivite_code(demo_members):
    out = StringIO()
    call_command("opendata_generer", "--collectivite", "243300316", stdout=out)

    assert "Publié : bordeaux-metropole / equipements, version 1 (28 lignes)" in out.getvalue()
    assert Jeu.objects.filter(membre=demo_members.metropole).count() == 3

    out = StringIO()
    call_command("opendata_generer", "--collectivite", "bordeaux-metropole", stdout=out)
    assert "Aucun jeu de données n’a changé." in out.getvalue()


def test_it_enqueues_the_task_for_the_workers(demo_members, run_tasks):
    out = StringIO()
    call_command("opendata_generer", "--worker", stdout=out)
    assert "programmée pour les workers" in out.getvalue()
    assert not Version.objects.exists()

    assert run_tasks() == 1
    assert Version.objects.filter(jeu__membre=demo_members.metropole).count() == 3


def test_it_says_so_for_an_unknown_member(demo_members):
    with pytest.raises(CommandError, match="Aucun membre ne correspond à « 99999 »"):
        call_command("opendata_generer", "--collectivite", "99999")
