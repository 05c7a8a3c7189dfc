"""`socle territoires import` runs the importer and prints its report."""

from io import StringIO

import pytest
from django.core.management import call_command

from socle.territoires.models import Collectivite
from tests.helpers.territory import DEPARTEMENT, sample_territory, write_data_dir

pytestmark = pytest.mark.django_db


def test_it_imports_the_departements_asked_for_and_prints_the_report(tmp_path):
    data_dir = write_data_dir(tmp_path, sample_territory())
    out = StringIO()

    call_command(
        "territoires", "import", "--departement", "9z", "--data-dir", str(data_dir), stdout=out
    )

    output = out.getvalue()
    assert "Import terminé en" in output
    assert "Communes" in output and "Élus" in output
    communes = Collectivite.objects.filter(
        kind=Collectivite.Kind.COMMUNE, departement__code=DEPARTEMENT, active=True
    )
    assert communes.count() == 3
