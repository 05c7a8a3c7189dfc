"""Communes that the source no longer lists are retired, merged into their successor if any."""

import pytest

from socle.territoires.importer import import_territory
from socle.territoires.models import Collectivite, CommuneGeometry, Elu, RoutingVersion
from tests.helpers.territory import DEPARTEMENT, commune, sample_territory, write_data_dir

pytestmark = pytest.mark.django_db


def get_commune(code):
    """Return the synthetic commune with this INSEE code."""
    return Collectivite.objects.get(kind=Collectivite.Kind.COMMUNE, code=code)


def routing_version():
    """Return the territory routing counter, 0 before any import."""
    return RoutingVersion.objects.filter(pk=1).values_list("territory", flat=True).first() or 0


def merge_alpha_into_bravo_and_drop_charlie(territory):
    """Alpha becomes a commune déléguée of Bravo; Charlie disappears without a trace."""
    _alpha, bravo, _charlie = territory["communes"]
    territory["communes"] = [
        bravo,
        # The commune nouvelle's chef-lieu is listed as its own commune déléguée.
        commune(10, "9Z002", "Bravo", type="COMD", commune_parent_id=1, epci_id=None),
        commune(11, "9Z001", "Alpha", type="COMD", commune_parent_id=1, epci_id=None),
    ]
    territory["elus_municipaux"] = [e for e in territory["elus_municipaux"] if e["commune_id"] == 1]


def test_it_retires_merged_and_vanished_communes(tmp_path):
    territory = sample_territory()
    import_territory(departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory))
    version = routing_version()

    merge_alpha_into_bravo_and_drop_charlie(territory)
    report = import_territory(
        departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory)
    )

    alpha, bravo, charlie = get_commune("9Z001"), get_commune("9Z002"), get_commune("9Z003")
    assert (report.merged, report.deactivated, report.communes) == (1, 1, 1)
    assert not alpha.active and alpha.merged_into == bravo
    assert not charlie.active and charlie.merged_into is None
    assert bravo.active and bravo.merged_into is None
    for gone in (alpha, charlie):
        assert not CommuneGeometry.objects.filter(commune=gone).exists()
        assert not Elu.objects.filter(commune=gone).exists()
    assert CommuneGeometry.objects.filter(commune=bravo).exists()
    assert Elu.objects.filter(commune=bravo).count() == 1
    assert routing_version() == version + 1


def test_it_does_not_count_retired_communes_twice(tmp_path):
    territory = sample_territory()
    import_territory(departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory))
    merge_alpha_into_bravo_and_drop_charlie(territory)
    data_dir = write_data_dir(tmp_path, territory)
    import_territory(departements=[DEPARTEMENT], data_dir=data_dir)

    report = import_territory(departements=[DEPARTEMENT], data_dir=data_dir)

    assert (report.merged, report.deactivated) == (0, 0)
    assert get_commune("9Z001").merged_into == get_commune("9Z002")


def test_it_reactivates_a_commune_that_reappears(tmp_path):
    territory = sample_territory()
    import_territory(departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory))
    merge_alpha_into_bravo_and_drop_charlie(territory)
    import_territory(departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, territory))

    import_territory(
        departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, sample_territory())
    )

    for code in ("9Z001", "9Z003"):
        revived = get_commune(code)
        assert revived.active and revived.merged_into is None
        assert CommuneGeometry.objects.filter(commune=revived).exists()
        assert Elu.objects.filter(commune=revived).exists()


def test_it_leaves_other_departements_alone(tmp_path):
    departement = Collectivite.objects.create(
        kind=Collectivite.Kind.DEPARTEMENT, code="9Y", nom="Autre département"
    )
    other = Collectivite.objects.create(
        kind=Collectivite.Kind.COMMUNE, code="9Y001", nom="Ailleurs", departement=departement
    )
    import_territory(
        departements=[DEPARTEMENT], data_dir=write_data_dir(tmp_path, sample_territory())
    )

    other.refresh_from_db()
    assert other.active
