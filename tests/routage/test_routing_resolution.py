"""Who holds a competence: overrides, then the EPCI (transfer rows, the law), then defaults."""

import pytest

from socle.routage import routing
from socle.routage.routing import CompetenceRef
from socle.routage.routing.resolution import CommuneRow, CompetenceRule, resolve

COMMUNE, EPCI, DEPARTEMENT, REGION = 1, 2, 3, 4


def commune(epci_type: str = "CC", epci: int | None = EPCI) -> CommuneRow:
    return CommuneRow(COMMUNE, "33999", "Testville", epci, epci_type, DEPARTEMENT, REGION)


def competence(level: str = "commune", epci_types: tuple[str, ...] = ()) -> CompetenceRule:
    return CompetenceRule(10, "test", "Test", level, frozenset(epci_types), CompetenceRef("t", "T"))


def test_it_gives_the_commune_its_own_competences_by_default():
    assert resolve(commune(), competence("commune"), {}, {}) == (COMMUNE, "defaut")


def test_it_gives_an_epci_level_competence_to_the_epci_or_else_the_commune():
    assert resolve(commune(), competence("epci"), {}, {}) == (EPCI, "defaut")
    assert resolve(commune(epci=None), competence("epci"), {}, {}) == (COMMUNE, "defaut")


def test_it_gives_departement_and_region_competences_to_them():
    assert resolve(commune(), competence("departement"), {}, {}) == (DEPARTEMENT, "defaut")
    assert resolve(commune(), competence("region"), {}, {}) == (REGION, "defaut")


def test_it_gives_the_epci_what_the_law_gives_its_type():
    voirie = competence("commune", ("CU", "METRO"))
    assert resolve(commune("METRO"), voirie, {}, {}) == (EPCI, "loi")
    assert resolve(commune("CC"), voirie, {}, {}) == (COMMUNE, "defaut")


def test_it_follows_a_transfer_row_either_way():
    voirie = competence("commune", ("METRO",))
    transferred = {(EPCI, 10): True}
    kept = {(EPCI, 10): False}
    assert resolve(commune("CC"), voirie, transferred, {}) == (EPCI, "transfert")
    assert resolve(commune("METRO"), voirie, kept, {}) == (COMMUNE, "transfert")
    # An EPCI-level competence not transferred stays with the commune.
    assert resolve(commune(), competence("epci", ("CC",)), kept, {}) == (COMMUNE, "transfert")
    # A transfer row refusing a département's competence changes nothing.
    assert resolve(commune(), competence("departement"), kept, {}) == (DEPARTEMENT, "defaut")


def test_it_puts_an_override_before_everything():
    voirie = competence("commune", ("METRO",))
    overrides = {(COMMUNE, 10): DEPARTEMENT}
    assert resolve(commune("METRO"), voirie, {(EPCI, 10): True}, overrides) == (
        DEPARTEMENT,
        "override",
    )


@pytest.mark.django_db
def test_it_resolves_from_the_database_for_pages(gironde):
    from socle.territoires.models import Collectivite, Competence

    pessac = Collectivite.objects.get(kind="commune", code="33318")
    holder = routing.resolve_holder(pessac, Competence.objects.get(code="voirie"))
    assert (holder.kind, holder.nom, holder.member) == ("epci", "Bordeaux Métropole", False)
    assert str(holder) == "Bordeaux Métropole"
