"""Facets count the results by theme, status, département, région, size band and software; each
facet is counted without its own filter; filters of one facet add up (OR), of different facets
narrow (AND)."""

import pytest

from socle.observatoire.recherche import recherche_projets
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db


def counts(resultat, facette: str) -> dict[str, int]:
    return {f.valeur: f.nombre for f in resultat.facettes[facette]}


def chosen(resultat, facette: str) -> set[str]:
    return {f.valeur for f in resultat.facettes[facette] if f.choisie}


@pytest.fixture
def projets(lieux, publier):  # noqa: F811
    return [
        publier(
            "Application de signalement",
            porteur=lieux.Dunkerque,
            themes=("services-usagers",),
            statut="realise",
            logiciels=("Publik",),
        ),
        publier(
            "Signalement des dépôts sauvages",
            porteur=lieux.Lille,
            themes=("services-usagers", "donnee"),
            statut="en_cours",
            logiciels=("Publik", "QGIS"),
        ),
        publier(
            "Conseillers numériques",
            porteur=lieux.Pessac,
            themes=("inclusion",),
            statut="en_cours",
        ),
        publier(
            "Signalement en mairie",
            porteur=lieux.Saint_Emilion,
            themes=("services-usagers", "inclusion"),
            statut="idee",
            logiciels=("QGIS",),
        ),
        publier(
            "Cartographie des signalements",
            porteur=lieux.Bordeaux,
            themes=("donnee",),
            statut="realise",
            logiciels=("QGIS",),
        ),
    ]


def test_it_counts_every_facet_of_the_results(projets):
    resultat = recherche_projets(q="signalement")
    assert resultat.total == 4
    assert counts(resultat, "themes") == {"services-usagers": 3, "donnee": 2, "inclusion": 1}
    assert counts(resultat, "statuts") == {"realise": 2, "en_cours": 1, "idee": 1}
    assert counts(resultat, "departements") == {"59": 2, "33": 2}
    assert counts(resultat, "regions") == {"32": 2, "75": 2}
    assert counts(resultat, "tranches") == {
        "moins-2000": 1,
        "50000-200000": 1,
        "200000-plus": 2,
    }
    assert counts(resultat, "logiciels") == {"qgis": 3, "publik": 2}


def test_it_names_facet_values_in_french(projets):
    resultat = recherche_projets()
    themes = {f.valeur: f.libelle for f in resultat.facettes["themes"]}
    assert themes["services-usagers"] == "Services aux usagers"
    assert {f.valeur: f.libelle for f in resultat.facettes["statuts"]}["realise"] == "Réalisé"
    assert {f.valeur: f.libelle for f in resultat.facettes["departements"]}["59"] == "Nord"
    assert {f.valeur: f.libelle for f in resultat.facettes["regions"]}["75"] == "Nouvelle-Aquitaine"
    tranches = {f.valeur: f.libelle for f in resultat.facettes["tranches"]}
    assert tranches["moins-2000"] == "Moins de 2 000 habitants"
    assert {f.valeur: f.libelle for f in resultat.facettes["logiciels"]}["qgis"] == "QGIS"
    # Themes come in the national list's order, statuses in the life of a project.
    assert [f.valeur for f in resultat.facettes["themes"]] == [
        "services-usagers",
        "donnee",
        "inclusion",
    ]
    assert [f.valeur for f in resultat.facettes["statuts"]] == ["idee", "en_cours", "realise"]


def test_it_counts_a_facet_without_its_own_filter(projets):
    resultat = recherche_projets(q="signalement", themes=["inclusion"])
    assert resultat.total == 1
    # The other themes still say what choosing them would give…
    assert counts(resultat, "themes") == {"services-usagers": 3, "donnee": 2, "inclusion": 1}
    assert chosen(resultat, "themes") == {"inclusion"}
    # …while the other facets count the filtered results.
    assert counts(resultat, "statuts") == {"idee": 1}
    assert counts(resultat, "departements") == {"33": 1}


def test_it_adds_up_values_of_one_facet_and_narrows_across_facets(projets):
    assert recherche_projets(themes=["inclusion", "donnee"]).total == 4
    assert recherche_projets(statuts=["idee", "realise"]).total == 3
    both = recherche_projets(themes=["donnee"], statuts=["realise"])
    assert [p.titre for p in both.projets] == ["Cartographie des signalements"]
    assert recherche_projets(departement="33", logiciel="qgis").total == 2
    assert recherche_projets(region="32", tranche="200000-plus").total == 1
    assert recherche_projets(logiciel="publik", departement="33").total == 0


def test_it_keeps_a_chosen_value_listed_when_nothing_matches(projets):
    resultat = recherche_projets(q="cartographie", departement="59", logiciel="qgis")
    assert resultat.total == 0
    assert counts(resultat, "departements") == {"33": 1, "59": 0}
    assert chosen(resultat, "departements") == {"59"}
    assert counts(resultat, "logiciels") == {"qgis": 0}
    assert chosen(resultat, "logiciels") == {"qgis"}


def test_it_ignores_unknown_codes_and_finds_nothing_for_unknown_places(projets):
    assert recherche_projets(themes=["inconnu"], statuts=["fini"]).total == 5
    assert recherche_projets(tranche="enorme").total == 5
    assert recherche_projets(departement="99").total == 0
    assert recherche_projets(logiciel="inexistant").total == 0
    assert recherche_projets(logiciel="inexistant").facettes["logiciels"] != []


def test_it_pages_through_the_results(projets):
    first = recherche_projets(per_page=2)
    assert (first.total, first.pages, first.page, len(first.projets)) == (5, 3, 1, 2)
    assert first.has_next and not first.has_previous
    last = recherche_projets(per_page=2, page=3)
    assert len(last.projets) == 1 and last.has_previous and not last.has_next
    seen = [p.pk for n in (1, 2, 3) for p in recherche_projets(per_page=2, page=n).projets]
    assert sorted(seen) == sorted(p.pk for p in projets)
