"""Search understands French: accents, letter case, plurals and stems; every word must match;
titles weigh more than descriptions."""

import pytest

from socle.observatoire import recherche
from socle.observatoire.recherche import recherche_projets
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db


def titres(resultat) -> list[str]:
    return [projet.titre for projet in resultat.projets]


@pytest.fixture
def projets(lieux, publier):  # noqa: F811
    return {
        "dkcl": publier(
            "DK'CL! : application de signalement de la voirie",
            porteur=lieux.Dunkerque,
            resume="Les habitants signalent un problème de voirie ou de propreté en photo.",
            description="Chaque signalement part au service concerné.",
        ),
        "dansmarue": publier(
            "DansMaRue : signaler les anomalies de l'espace public",
            porteur=lieux.Paris,
            resume="L'application mobile de signalement des Parisiens.",
            description="Voirie, propreté, graffitis : les signalements arrivent aux agents.",
        ),
        "ecole": publier(
            "Ecole numérique : tablettes dans les classes",
            porteur=lieux.Pessac,
            resume="Équiper les écoles élémentaires de tablettes.",
            themes=("inclusion",),
        ),
        "cyber": publier(
            "Plan de cybersécurité mutualisé",
            porteur=lieux.Bordeaux,
            resume="Sauvegardes hors ligne et sensibilisation des agents.",
            description="Après un rançongiciel, un plan pour les communes.",
            themes=("cybersecurite",),
        ),
        "budget": publier(
            "Budget participatif en ligne",
            porteur=lieux.Strasbourg,
            resume="Les habitants proposent et votent des projets.",
            description="La plateforme permet aussi de signaler un souci sur la voirie.",
        ),
        "voirie_cyber": publier(
            "Sécuriser les outils de la voirie",
            porteur=lieux.Lille,
            resume="Un audit de cybersécurité des logiciels de gestion de voirie.",
            themes=("cybersecurite",),
        ),
    }


def test_it_finds_ecole_from_ecoles(projets):
    for q in ("écoles", "ECOLES", "école", "ecole"):
        assert titres(recherche_projets(q=q)) == ["Ecole numérique : tablettes dans les classes"]


def test_it_finds_signalement_from_its_plural_and_verb_forms(projets):
    found = set(titres(recherche_projets(q="signalements")))
    assert projets["dkcl"].titre in found and projets["dansmarue"].titre in found


def test_it_puts_the_reporting_apps_first(projets):
    resultat = recherche_projets(q="signalement voirie application")
    assert set(titres(resultat)[:2]) == {projets["dkcl"].titre, projets["dansmarue"].titre}
    assert resultat.mots == ["signal", "voir", "appliqu"]
    assert resultat.projets[0].pertinence >= resultat.projets[1].pertinence


def test_it_ranks_title_matches_above_description_only_matches(projets):
    # « voirie »: in DK'CL!'s and « Sécuriser les outils de la voirie »'s titles, only in the
    # text of DansMaRue and of the participatory budget.
    found = titres(recherche_projets(q="voirie"))
    in_title = {projets["dkcl"].titre, projets["voirie_cyber"].titre}
    assert set(found[:2]) == in_title
    assert set(found[2:]) == {projets["dansmarue"].titre, projets["budget"].titre}


def test_it_requires_every_word(projets):
    assert titres(recherche_projets(q="voirie cybersécurité")) == [projets["voirie_cyber"].titre]
    assert titres(recherche_projets(q="voirie tablettes")) == []


def test_it_matches_the_last_word_as_a_prefix(projets):
    found = set(titres(recherche_projets(q="rançongi")))
    assert found == {projets["cyber"].titre}
    found = set(titres(recherche_projets(q="application signa")))
    assert {projets["dkcl"].titre, projets["dansmarue"].titre} <= found


def test_it_finds_words_of_the_software_and_the_carrier(projets, publier, lieux):  # noqa: F811
    publier(
        "Portail des démarches",
        porteur=lieux.Marseille,
        resume="Les démarches en ligne de la ville.",
        logiciels=("Publik",),
    )
    assert titres(recherche_projets(q="publik")) == ["Portail des démarches"]
    assert titres(recherche_projets(q="marseille démarches")) == ["Portail des démarches"]


def test_it_lists_the_newest_first_without_words(projets):
    resultat = recherche_projets()
    assert resultat.total == len(projets)
    assert titres(resultat)[0] == projets["voirie_cyber"].titre  # published last
    assert all(projet.pertinence is None for projet in resultat.projets)


def test_it_still_puts_title_matches_first_when_too_many_to_rank(projets, monkeypatch):
    # Past RANK_CANDIDATES results, only that many are ranked: the titles holding every word
    # first (a signature of each title's words tells them), then the newest others.
    monkeypatch.setattr(recherche, "RANK_CANDIDATES", 2)
    found = titres(recherche_projets(q="voirie"))
    assert set(found[:2]) == {projets["dkcl"].titre, projets["voirie_cyber"].titre}
    assert len(found) == 4
