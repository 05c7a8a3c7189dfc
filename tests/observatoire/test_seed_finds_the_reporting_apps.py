"""The élu of Pessac's search, « signalement voirie application », matches the reporting apps
of Dunkerque and Paris word for word (every query word is in their French search document)."""

from socle.observatoire import text
from socle.observatoire.models import Projet
from socle.observatoire.seed import seed_load


def test_it_lets_the_query_find_dkcl_and_dansmarue(db):
    seed_load()

    query = set(text.words("signalement voirie application"))
    found = {
        projet.slug
        for projet in Projet.objects.filter(etat=Projet.Etat.PUBLIE)
        if query <= set(projet.document.split())
    }
    assert {"dkcl-dunkerque", "dansmarue-paris"} <= found
    # Paris's greening website is about the street too, but is no reporting app.
    assert "vegetalisons-paris" not in found
