"""Finding a collectivité by name ignores accents, case and hyphens; codes work too."""

from socle.territoires.models import search_key
from socle.territoires.selectors import collectivite_search


def test_it_folds_names_for_search():
    assert search_key("Saint-Émilion") == "saint emilion"
    assert search_key("L'Île-Saint-Denis") == "l ile saint denis"
    assert search_key("  ") == ""


def test_it_finds_communes_without_accents(db, gironde):
    assert [c.nom for c in collectivite_search("merignac")] == ["Mérignac"]
    assert "Saint-Émilion" in [c.nom for c in collectivite_search("saint emilion")]
    assert "Saint-Émilion" in [c.nom for c in collectivite_search("SAINT-ÉMILION")]


def test_it_finds_by_insee_or_siren_code(db, gironde):
    assert [c.nom for c in collectivite_search("33318")] == ["Pessac"]
    assert [c.nom for c in collectivite_search("243300316")] == ["Bordeaux Métropole"]


def test_it_writes_articles_in_commune_names(db, gironde):
    # INSEE gives "Porge" with an article code: the name people know is « Le Porge ».
    assert [c.nom for c in collectivite_search("le porge")] == ["Le Porge"]


def test_it_returns_nothing_for_an_empty_or_symbol_only_query(db, gironde):
    assert list(collectivite_search("")) == []
    assert list(collectivite_search(" - ' ")) == []
