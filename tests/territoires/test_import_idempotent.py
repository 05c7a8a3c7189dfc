"""Importing the same source twice changes nothing; a changed source updates in place."""

import pytest

from socle.territoires.importer import import_territory
from socle.territoires.models import Collectivite, CommuneGeometry, Elu
from tests.helpers.territory import DEPARTEMENT, sample_territory, square, write_data_dir

pytestmark = pytest.mark.django_db


def own_rows():
    """Return the synthetic collectivités, whatever else the database holds."""
    return Collectivite.objects.filter(code__startswith=DEPARTEMENT) | Collectivite.objects.filter(
        kind=Collectivite.Kind.EPCI, code="999999991"
    )


def snapshot():
    """Return what the import owns for the synthetic rows: keys, timestamps, children."""
    rows = own_rows()
    return {
        "pks": {(kind, code): pk for kind, code, pk in rows.values_list("kind", "code", "pk")},
        "updated": {
            (kind, code): updated
            for kind, code, updated in rows.values_list("kind", "code", "updated_at")
        },
        "geometries": CommuneGeometry.objects.filter(commune__in=rows).count(),
        "elus": sorted(
            Elu.objects.filter(commune__in=rows).values_list("commune__code", "nom", "fonction")
        ),
    }


def test_it_changes_nothing_on_a_second_run(tmp_path):
    data_dir = write_data_dir(tmp_path, sample_territory())

    first = import_territory(departements=[DEPARTEMENT], data_dir=data_dir)
    before = snapshot()
    second = import_territory(departements=[DEPARTEMENT], data_dir=data_dir)
    after = snapshot()

    assert len(before["pks"]) == 6  # région, département, EPCI, three communes
    assert before["geometries"] == 3
    assert len(before["elus"]) == 4
    assert after == before
    assert (second.communes, second.elus, second.epcis) == (first.communes, first.elus, 1)
    assert (second.merged, second.deactivated) == (0, 0)


def test_it_updates_rows_in_place_when_the_source_changes(tmp_path):
    territory = sample_territory()
    import_territory(departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory))
    before = snapshot()

    territory["communes"][0]["nom"] = "Alpha-sur-Mer"
    territory["communes"][0]["mairie_telephone"] = "09 87 65 43 21"
    territory["communes"][0]["geometry"] = square(20.0, 45.0, size=0.5)
    territory["elus_municipaux"][0]["nom"] = "DURAND-LEROY"
    import_territory(departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory))
    after = snapshot()

    alpha = Collectivite.objects.get(kind=Collectivite.Kind.COMMUNE, code="9Z001")
    assert alpha.nom == "Alpha-sur-Mer"
    assert alpha.telephone == "09 87 65 43 21"
    assert after["pks"] == before["pks"]
    assert after["updated"][("commune", "9Z001")] > before["updated"][("commune", "9Z001")]
    assert after["updated"][("commune", "9Z002")] == before["updated"][("commune", "9Z002")]
    boundary = CommuneGeometry.objects.get(commune=alpha)
    assert (boundary.min_lon, boundary.min_lat, boundary.max_lon, boundary.max_lat) == (
        20.0,
        45.0,
        20.5,
        45.5,
    )
    assert after["geometries"] == 3
    assert ("9Z001", "DURAND-LEROY", "Maire") in after["elus"]
    assert len(after["elus"]) == 4
