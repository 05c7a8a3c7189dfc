"""A theme's level is the mean of its statements answered with a level (0–5), rounded half up
to one decimal; « non concerné » does not count, and a theme answered only « non concerné » has
no level at all. The diagnostic keeps its comparison group (kind, population band)."""

import pytest

from socle.membres.models import AuditEvent
from socle.observatoire import maturite
from socle.observatoire.models import MaturiteEnonce
from tests.observatoire.fixtures_feuilles import answers


def _theme(code):
    return list(MaturiteEnonce.objects.filter(theme=code, actif=True).order_by("ordre", "pk"))


def test_it_starts_with_default_statements_for_the_ten_themes(db):
    counts = {code: len(_theme(code)) for code in maturite.THEMES}
    assert set(counts) == set(maturite.THEMES)
    assert all(3 <= count <= 4 for count in counts.values()), counts


def test_it_computes_each_themes_mean_by_hand(demo_members, agent_pessac):
    given = answers(lambda _e: 0)
    strategie = _theme("strategie")  # four statements: 1, 2, 2, 4 → 9 / 4 = 2.25 → 2.3
    for enonce, level in zip(strategie, [1, 2, 2, 4], strict=True):
        given[str(enonce.pk)] = level
    usagers = _theme("services-usagers")  # 5, 4 and « non concerné » → 9 / 2 = 4.5
    for enonce, level in zip(usagers, [5, 4, "nc"], strict=True):
        given[str(enonce.pk)] = level
    for enonce in _theme("administration"):  # nothing but « non concerné »: no level
        given[str(enonce.pk)] = "nc"
    donnee = _theme("donnee")  # 0, 0, 1 → 1 / 3 = 0.33 → 0.3
    for enonce, level in zip(donnee, [0, 0, 1], strict=True):
        given[str(enonce.pk)] = level
    inclusion = _theme("inclusion")  # 1, 1, 2 as text, as a form sends them → 1.3
    for enonce, level in zip(inclusion, ["1", "1", "2"], strict=True):
        given[str(enonce.pk)] = level

    diagnostic = maturite.diagnostic_create(
        acting_user=agent_pessac, membre=demo_members.pessac, reponses=given
    )
    assert diagnostic.niveaux["strategie"] == 2.3
    assert diagnostic.niveaux["services-usagers"] == 4.5
    assert "administration" not in diagnostic.niveaux
    assert diagnostic.niveaux["donnee"] == 0.3
    assert diagnostic.niveaux["inclusion"] == 1.3
    assert diagnostic.niveaux["cybersecurite"] == 0.0
    # The mean of the nine themes measured: (2.3 + 4.5 + 0.3 + 1.3) / 9 = 0.93 → 0.9
    assert maturite.niveau_moyen(diagnostic.niveaux) == 0.9
    assert diagnostic.reponses[str(usagers[2].pk)] is None
    assert diagnostic.reponses[str(inclusion[2].pk)] == 2
    # Pessac: a commune of 63,808 inhabitants.
    assert (diagnostic.type_collectivite, diagnostic.tranche) == ("commune", "50000-200000")
    event = AuditEvent.objects.get(action="diagnostic.creation")
    assert event.membre == demo_members.pessac and event.actor == agent_pessac


def test_it_keeps_every_diagnostic_in_the_history(demo_members, agent_pessac):
    pessac = demo_members.pessac
    first = maturite.diagnostic_create(
        acting_user=agent_pessac, membre=pessac, reponses=answers(lambda _e: 1)
    )
    second = maturite.diagnostic_create(
        acting_user=agent_pessac, membre=pessac, reponses=answers(lambda _e: 4)
    )
    assert list(maturite.diagnostics_of(membre=pessac)) == [second, first]
    assert maturite.diagnostic_latest(membre=pessac) == second
    assert maturite.diagnostic_latest(membre=demo_members.bordeaux) is None


@pytest.mark.parametrize("level", [0, 5])
def test_it_takes_both_ends_of_the_scale(demo_members, agent_pessac, level):
    diagnostic = maturite.diagnostic_create(
        acting_user=agent_pessac, membre=demo_members.pessac, reponses=answers(lambda _e: level)
    )
    assert set(diagnostic.niveaux.values()) == {float(level)}


def test_it_takes_an_epcis_size_from_its_actor(demo_members):
    from socle.observatoire.services import acteur_ensure_membre
    from tests.observatoire.fixtures_feuilles import diagnose

    metropole = demo_members.metropole
    assert metropole.collectivite.population is None  # not in the territory's data
    acteur = acteur_ensure_membre(membre=metropole)
    acteur.population = 830_000
    acteur.save(update_fields=["population"])
    diagnostic = diagnose(metropole, 2)
    assert (diagnostic.type_collectivite, diagnostic.tranche) == ("epci", "200000-plus")
