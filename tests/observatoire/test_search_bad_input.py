"""Whatever is typed, search answers: empty, very long, only stop words, quotes, stars and the
full-text engines' operators are plain text, never syntax; odd pages and places are clamped or
refused cleanly."""

import pytest

from socle.observatoire.recherche import projets_pres_de, recherche_projets, requete
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def projets(lieux, publier):  # noqa: F811
    return [
        publier(
            "Application de signalement de la voirie",
            porteur=lieux.Dunkerque,
            resume="Signaler un problème de voirie.",
        ),
        publier(
            "Plan de cybersécurité",
            porteur=lieux.Bordeaux,
            resume="Sauvegardes et sensibilisation contre le hameçonnage.",
            themes=("cybersecurite",),
        ),
    ]


@pytest.mark.parametrize("q", ["", "   ", "de la", "le la les des du", "!!! ??? ...", None])
def test_it_treats_a_query_without_words_as_no_query(projets, q):
    resultat = recherche_projets(q=q)
    assert resultat.mots == []
    assert resultat.total == 2


@pytest.mark.parametrize(
    "q",
    [
        '"voirie',
        'voirie"',
        '"""',
        "voir*",
        "*",
        "NEAR(voirie signalement)",
        "voirie NEAR signalement",
        "voirie OR cybersécurité",
        "voirie AND NOT cybersécurité",
        "-voirie",
        "voirie -signalement",
        "titre:voirie",
        "titre : voirie",
        "{titre}: voirie",
        "^voirie",
        "voirie:*",
        "voirie & | ! <-> ( )",
        "'); DROP TABLE observatoire_projet; --",
        "voirie\x00signalement",
        "\\",
        "%_",
    ],
)
def test_it_takes_operators_and_punctuation_as_plain_text(projets, q):
    resultat = recherche_projets(q=q)
    assert resultat.total <= 2
    for mot in resultat.mots:
        assert mot.isalnum() and mot.isascii()


def test_it_reads_operators_as_words(projets):
    # « OR » is the French word « or » (gold), « NOT » and « AND » are words too: every word must
    # match, so nothing holds them all.
    assert recherche_projets(q="voirie OR cybersécurité").total == 0
    assert recherche_projets(q="voirie -signalement").total == 1
    assert recherche_projets(q='"voirie"').total == 1
    assert recherche_projets(q="NEAR voirie").total == 0


def test_it_cuts_a_very_long_query(projets):
    long_query = "voirie " + " ".join(f"mot{n}" for n in range(5000))
    resultat = recherche_projets(q=long_query)
    assert len(resultat.mots) == 12
    assert resultat.total == 0
    assert requete("voirie " * 10_000).mots == ("voir",)
    assert recherche_projets(q="a" * 100_000).total == 0
    assert recherche_projets(q=" " * 600 + "voirie").total == 2  # no words within the limit


def test_it_clamps_pages(projets):
    assert recherche_projets(page=0).page == 1
    assert recherche_projets(page=-5).page == 1
    assert recherche_projets(page=999, per_page=1).page == 2
    assert recherche_projets(page="abc").page == 1
    assert recherche_projets(per_page=0).per_page == 1
    assert recherche_projets(per_page=10_000).per_page == 100
    assert recherche_projets(q="introuvable").pages == 1


def test_it_takes_odd_filter_values(projets):
    assert recherche_projets(themes="cybersecurite").total == 1
    assert recherche_projets(themes=["cybersecurite", "cybersecurite"]).total == 1
    assert recherche_projets(departement="5 9").total == 0
    assert recherche_projets(departement="'; --").total == 0
    assert recherche_projets(logiciel="' OR 1=1 --").total == 0


@pytest.mark.parametrize(
    "latitude,longitude", [(91, 0), (0, 181), (-90.5, 0), ("nan", 0), (0, "inf")]
)
def test_it_refuses_positions_off_the_earth(projets, latitude, longitude):
    with pytest.raises(ValueError):
        projets_pres_de(latitude=latitude, longitude=longitude)


def test_it_takes_odd_radiuses_and_the_poles(projets):
    assert projets_pres_de(latitude=51.03, longitude=2.37, rayon_km=-3) == []
    assert len(projets_pres_de(latitude=51.03, longitude=2.37, rayon_km=100_000)) == 2
    assert projets_pres_de(latitude=90, longitude=0, rayon_km=1000) == []
    assert projets_pres_de(latitude=45, longitude=179.9, rayon_km=500) == []
