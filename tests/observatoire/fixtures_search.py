"""Fixtures of the search tests: carriers placed on the map, and a way to publish projects.

Import the fixtures in a test module: `from tests.observatoire.fixtures_search import *`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from socle.observatoire.models import Acteur, Projet
from socle.observatoire.services import (
    acteur_create,
    logiciel_ensure,
    projet_create,
    projet_logiciels_set,
    projet_publish,
    projet_submit,
)

# key: (name, latitude, longitude, population, département, région)
PLACES = {
    "Dunkerque": ("Dunkerque", 51.0344, 2.3768, 86_279, "59", "32"),
    "Lille": ("Lille", 50.6292, 3.0573, 236_234, "59", "32"),
    "Paris": ("Paris", 48.8566, 2.3522, 2_113_705, "75", "11"),
    "Pessac": ("Pessac", 44.8067, -0.6311, 66_760, "33", "75"),
    "Merignac": ("Mérignac", 44.8386, -0.6436, 72_197, "33", "75"),
    "Bordeaux": ("Bordeaux", 44.8378, -0.5792, 261_804, "33", "75"),
    "Saint_Emilion": ("Saint-Émilion", 44.8947, -0.1553, 1_789, "33", "75"),
    "Marseille": ("Marseille", 43.2965, 5.3698, 873_076, "13", "93"),
    "Strasbourg": ("Strasbourg", 48.5734, 7.7521, 291_313, "67", "44"),
}


@pytest.fixture
def lieux(operateur) -> SimpleNamespace:
    """Collectivités of several regions as carriers, with their town hall's position."""
    found = {}
    for key, (nom, lat, lon, population, departement, region) in PLACES.items():
        found[key] = acteur_create(
            acting_user=operateur,
            kind=Acteur.Kind.COLLECTIVITE,
            nom=nom,
            type_collectivite="commune",
            population=population,
            departement_code=departement,
            region_code=region,
            latitude=lat,
            longitude=lon,
        )
    return SimpleNamespace(**found)


@pytest.fixture
def publier(operateur):
    """Return a function that drafts a project of the structure and, unless told, submits and
    publishes it (through the services, as the structure's reviewer would)."""

    def make(
        titre: str,
        *,
        porteur: Acteur,
        resume: str = "Un projet numérique d’une collectivité.",
        description: str = "",
        themes: tuple[str, ...] = ("services-usagers",),
        statut: str = "en_cours",
        logiciels: tuple[str, ...] = (),
        publier: bool = True,
    ) -> Projet:
        projet = projet_create(
            acting_user=operateur,
            membre=None,
            titre=titre,
            porteur=porteur,
            resume=resume,
            description=description,
            themes=list(themes),
            statut=statut,
        )
        if logiciels:
            projet_logiciels_set(
                acting_user=operateur,
                projet=projet,
                logiciels=[logiciel_ensure(acting_user=None, nom=nom) for nom in logiciels],
            )
        if publier:
            projet_submit(acting_user=operateur, projet=projet)
            projet_publish(acting_user=operateur, projet=projet)
        projet.refresh_from_db()
        return projet

    return make
