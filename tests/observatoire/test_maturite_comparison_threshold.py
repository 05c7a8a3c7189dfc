"""The comparison of a diagnostic with the median of collectivités of the same kind and size
band: the latest diagnostic of each *other* member only, shown from five of them (the group's
size hidden below), a theme's median only where five of them measured it."""

import pytest

from socle.observatoire import maturite
from socle.observatoire.models import Diagnostic, MaturiteEnonce
from tests.observatoire.fixtures_feuilles import answers, comparable_members, diagnose


@pytest.fixture
def pessac_diagnostic(demo_members):
    return diagnose(demo_members.pessac, 2)


def test_it_hides_a_group_of_four(demo_members, pessac_diagnostic):
    for membre in comparable_members(demo_members.pessac, 4):
        diagnose(membre, 3)
    # Pessac's own diagnostics never count: a second one does not make five.
    diagnose(demo_members.pessac, 4)
    assert maturite.comparaison(pessac_diagnostic) is None


def test_it_shows_the_median_of_five(demo_members, pessac_diagnostic):
    for membre, level in zip(
        comparable_members(demo_members.pessac, 5), [1, 2, 3, 4, 5], strict=True
    ):
        diagnose(membre, level)
    comparaison = maturite.comparaison(pessac_diagnostic)
    assert comparaison is not None
    assert comparaison.taille == 5
    assert set(comparaison.medianes.values()) == {3.0}


def test_it_takes_the_middle_of_an_even_group(demo_members, pessac_diagnostic):
    for membre, level in zip(
        comparable_members(demo_members.pessac, 6), [1, 2, 3, 4, 5, 5], strict=True
    ):
        diagnose(membre, level)
    comparaison = maturite.comparaison(pessac_diagnostic)
    assert comparaison.taille == 6
    assert comparaison.medianes["strategie"] == 3.5  # (3 + 4) / 2


def test_it_counts_only_the_latest_diagnostic_of_each_member(demo_members, pessac_diagnostic):
    membres = comparable_members(demo_members.pessac, 5)
    for membre in membres:
        diagnose(membre, 5)
    for membre in membres[:3]:
        diagnose(membre, 1)  # they redid it: 1, 1, 1, 5, 5
    comparaison = maturite.comparaison(pessac_diagnostic)
    assert comparaison.taille == 5
    assert comparaison.medianes["cybersecurite"] == 1.0


def test_it_leaves_out_other_kinds_and_bands(demo_members, pessac_diagnostic):
    membres = comparable_members(demo_members.pessac, 5)
    for membre in membres:
        diagnose(membre, 3)
    # One of them is now in another band: its new diagnostic leaves the group.
    smaller = membres[0].collectivite
    smaller.population = 1500
    smaller.save(update_fields=["population"])
    diagnose(membres[0], 3)
    assert maturite.comparaison(pessac_diagnostic) is None
    diagnose(demo_members.bordeaux, 3)  # a commune of another band
    diagnose(demo_members.metropole, 3)  # an EPCI
    assert maturite.comparaison(pessac_diagnostic) is None


def test_it_hides_a_theme_fewer_than_five_measured(demo_members, pessac_diagnostic):
    membres = comparable_members(demo_members.pessac, 5)
    cyber = set(MaturiteEnonce.objects.filter(theme="cybersecurite").values_list("pk", flat=True))
    for index, membre in enumerate(membres):
        maturite.diagnostic_create(
            acting_user=None,
            membre=membre,
            # The first one is « non concerné » by cybersecurity: four measured it.
            reponses=answers(lambda e, i=index: "nc" if i == 0 and e.pk in cyber else 2),
        )
    comparaison = maturite.comparaison(pessac_diagnostic)
    assert comparaison.taille == 5
    assert comparaison.medianes["cybersecurite"] is None
    assert comparaison.medianes["strategie"] == 2.0


def test_it_compares_nothing_when_the_size_is_unknown(demo_members, pessac_diagnostic):
    for membre in comparable_members(demo_members.pessac, 5):
        diagnose(membre, 3)
    Diagnostic.objects.filter(pk=pessac_diagnostic.pk).update(tranche="")
    pessac_diagnostic.refresh_from_db()
    assert maturite.comparaison(pessac_diagnostic) is None


def test_it_leaves_out_the_members_where_the_viewer_holds_a_role(demo_members, pessac_diagnostic):
    from socle.membres.models import Role
    from tests.helpers.personas import persona

    others = comparable_members(demo_members.pessac, 5)
    for membre, level in zip(others, [1, 2, 3, 4, 5], strict=True):
        diagnose(membre, level)
    # An agent of Pessac who also answers for one of the five: the group shrinks to four.
    shared = persona("dsi.mutualisee@example.fr", kind=Role.Kind.AGENT, membre=demo_members.pessac)
    persona("dsi.mutualisee@example.fr", kind=Role.Kind.AGENT, membre=others[0])
    assert maturite.comparaison(pessac_diagnostic, viewer=demo_members.agent_pessac) is not None
    assert maturite.comparaison(pessac_diagnostic, viewer=shared) is None
