"""« Projets similaires »: the obvious twin first (same words, themes, software, next door, same
size), a far-away unrelated project last; never the project itself."""

import math

import pytest

from socle.observatoire.similaires import WEIGHTS, projets_similaires
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def projets(lieux, publier):  # noqa: F811
    made = {}
    made["source"] = publier(
        "Application de signalement des problèmes de voirie",
        porteur=lieux.Pessac,
        resume="Les habitants signalent nids-de-poule et dépôts sauvages depuis leur téléphone.",
        description="Photo, position, suivi du traitement par les services techniques.",
        logiciels=("Publik",),
    )
    made["jumeau"] = publier(
        "Signalement des problèmes de voirie par les habitants",
        porteur=lieux.Merignac,
        resume="Nids-de-poule, dépôts sauvages : les habitants les signalent par téléphone.",
        description="Suivi du traitement par les services techniques, avec photo.",
        logiciels=("Publik",),
    )
    made["lointain"] = publier(
        "DK'CL! : application de signalement",
        porteur=lieux.Dunkerque,
        resume="Les habitants signalent les dépôts sauvages et les nids-de-poule.",
        logiciels=("TellMyCity",),
    )
    made["voisin"] = publier(
        "Conseillers numériques dans les quartiers",
        porteur=lieux.Bordeaux,
        resume="Accompagner les habitants dans leurs démarches en ligne.",
        themes=("inclusion",),
    )
    made["village"] = publier(
        "Wi-Fi public dans les bourgs",
        porteur=lieux.Saint_Emilion,
        resume="Des bornes Wi-Fi sur les places des villages.",
        themes=("amenagement",),
    )
    made["sans_rapport"] = publier(
        "Plan de cybersécurité",
        porteur=lieux.Strasbourg,
        resume="Sauvegardes hors ligne et sensibilisation au hameçonnage.",
        themes=("cybersecurite",),
        logiciels=("Veeam",),
    )
    return made


def test_it_puts_the_twin_first_and_the_unrelated_far_away_project_last(projets):
    similar = projets_similaires(projet=projets["source"], limit=10)
    titres = [p.titre for p in similar]
    assert titres[0] == projets["jumeau"].titre
    assert titres[-1] == projets["sans_rapport"].titre
    # Words and themes count more than being next door.
    assert titres.index(projets["lointain"].titre) < titres.index(projets["voisin"].titre)
    assert projets["source"].titre not in titres
    scores = [p.similarite for p in similar]
    assert scores == sorted(scores, reverse=True)


def test_it_explains_each_score(projets):
    jumeau, *_rest = projets_similaires(projet=projets["source"], limit=1)
    detail = jumeau.similarite_detail
    assert set(detail) == set(WEIGHTS)
    assert all(0 <= value <= 1 for value in detail.values())
    assert detail["themes"] == 1 and detail["logiciels"] == 1
    assert detail["texte"] > 0.5
    assert 0.9 < detail["proximite"] < 1
    assert 0.95 < detail["taille"] <= 1
    assert math.isclose(jumeau.similarite, sum(WEIGHTS[k] * v for k, v in detail.items()))
    assert 3 < jumeau.distance_km < 8  # Pessac – Mérignac


def test_it_weighs_distance_and_size_as_documented(projets):
    by_title = {p.titre: p for p in projets_similaires(projet=projets["source"], limit=10)}
    lointain = by_title[projets["lointain"].titre]
    # Pessac – Dunkerque ≈ 750 km: exp(-750/100) ≈ 0.
    assert lointain.similarite_detail["proximite"] < 0.001
    assert lointain.similarite_detail["logiciels"] == 0
    village = by_title[projets["village"].titre]
    # 66,760 against 1,789 inhabitants: 1 - ln(37.3)/ln(100) ≈ 0.21.
    assert village.similarite_detail["taille"] == pytest.approx(0.214, abs=0.01)
    assert village.similarite_detail["themes"] == 0


def test_it_honours_the_limit(projets):
    assert len(projets_similaires(projet=projets["source"], limit=2)) == 2
    assert len(projets_similaires(projet=projets["source"], limit=0)) == 1
    assert len(projets_similaires(projet=projets["source"])) == 5
