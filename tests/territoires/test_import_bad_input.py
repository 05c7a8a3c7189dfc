"""Bad requests are refused with a clear message, before anything is written."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from socle.territoires.importer import UnknownDepartementError, import_territory
from socle.territoires.models import Collectivite, Elu, RoutingVersion
from tests.helpers.territory import DEPARTEMENT, sample_territory, write_data_dir

pytestmark = pytest.mark.django_db


def database_state():
    """Return counts that any write would change."""
    return (
        Collectivite.objects.count(),
        Elu.objects.count(),
        list(RoutingVersion.objects.values_list("territory", flat=True)),
    )


@pytest.mark.parametrize("code", ["99", "abc"])
def test_it_refuses_an_unknown_departement(code):
    before = database_state()

    with pytest.raises(CommandError) as error:
        call_command("territoires", "import", "--departement", "33", "--departement", code)

    assert f"Département inconnu : {code}" in str(error.value)
    assert "33" in str(error.value)  # valid examples are listed
    assert database_state() == before


def test_it_raises_a_domain_error_from_the_importer():
    with pytest.raises(UnknownDepartementError, match="Département inconnu : 99"):
        import_territory(departements=["99"])


def test_it_refuses_to_import_without_a_scope():
    with pytest.raises(CommandError, match="ou --all"):
        call_command("territoires", "import", stdout=StringIO())


def test_it_refuses_both_a_departement_and_all():
    with pytest.raises(CommandError, match="pas les deux"):
        call_command("territoires", "import", "--all", "--departement", "33", stdout=StringIO())


def test_it_refuses_to_run_without_a_subcommand():
    with pytest.raises(CommandError):
        call_command("territoires")


def test_it_leaves_the_database_as_it_was_when_the_source_breaks_midway(tmp_path):
    territory = sample_territory()
    data_dir = write_data_dir(tmp_path, territory)
    import_territory(departements=[DEPARTEMENT], data_dir=data_dir)
    before = database_state()

    territory["communes"][0]["nom"] = "Alpha-la-Neuve"
    territory["elus_municipaux"][0]["date_debut_mandat"] = "pas une date"
    write_data_dir(tmp_path, territory)
    with pytest.raises(ValueError):
        import_territory(departements=[DEPARTEMENT], data_dir=data_dir)

    assert database_state() == before
    assert Collectivite.objects.get(kind="commune", code="9Z001").nom == "Alpha"
