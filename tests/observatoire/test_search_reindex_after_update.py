"""A project's index entry follows its changes: text, software, carrier, status; a full rebuild
gives the same answers."""

import pytest

from socle.observatoire.models import Projet
from socle.observatoire.recherche import (
    index_rebuild,
    projet_indexer,
    projets_pres_de,
    recherche_projets,
)
from socle.observatoire.services import (
    logiciel_ensure,
    projet_logiciels_set,
    projet_porteur_set,
    projet_update,
    revision_review,
)
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def projet(lieux, publier):  # noqa: F811
    return publier(
        "Application de signalement",
        porteur=lieux.Pessac,
        resume="Les habitants signalent les nids-de-poule.",
    )


def ids(q: str = "", **filters) -> list[int]:
    return [p.pk for p in recherche_projets(q=q, **filters).projets]


def test_it_reindexes_a_reviewers_change_at_once(projet, operateur):
    projet_update(acting_user=operateur, projet=projet, titre="Portail des démarches en ligne")
    assert ids("signalement application") == []
    assert ids("portail démarches") == [projet.pk]
    projet.refresh_from_db()
    assert "portail" in projet.document.split()


def test_it_reindexes_a_contributors_change_once_reviewed(
    demo_members, agent_pessac, operateur, projet_publie
):
    revision = projet_update(
        acting_user=agent_pessac, projet=projet_publie, resume="Avec une carte des chantiers."
    )
    assert ids("chantiers") == []  # waiting for review: the public page still says the old text
    revision_review(acting_user=operateur, revision=revision, accept=True)
    assert ids("chantiers") == [projet_publie.pk]


def test_it_follows_the_software_and_the_status(projet, operateur):
    assert ids(logiciel="publik") == []
    projet_logiciels_set(
        acting_user=operateur,
        projet=projet,
        logiciels=[logiciel_ensure(acting_user=None, nom="Publik")],
    )
    assert ids(logiciel="publik") == [projet.pk]
    assert ids("publik") == [projet.pk]
    projet_update(acting_user=operateur, projet=projet, statut="realise")
    assert ids(statuts=["realise"]) == [projet.pk]
    assert ids(statuts=["en_cours"]) == []


def test_it_follows_the_carrier(projet, operateur, lieux):  # noqa: F811
    assert ids(departement="33") == [projet.pk]
    projet_porteur_set(acting_user=operateur, projet=projet, porteur=lieux.Dunkerque)
    assert ids(departement="33") == []
    assert ids(departement="59", tranche="50000-200000") == [projet.pk]
    assert [p.pk for p in projets_pres_de(latitude=51.03, longitude=2.37, rayon_km=5)] == [
        projet.pk
    ]
    assert ids("dunkerque") == [projet.pk]


def test_it_reindexes_from_the_database_not_from_a_stale_instance(projet, operateur):
    stale = Projet.objects.get(pk=projet.pk)
    Projet.objects.filter(pk=projet.pk).update(titre="Conseillers numériques itinérants")
    projet_indexer(stale)  # the instance still says « Application de signalement »
    assert ids("conseillers itinérants") == [projet.pk]
    assert ids("application signalement") == []


def test_a_rebuild_gives_the_same_answers(projet, publier, lieux):  # noqa: F811
    other = publier("Signalement des dépôts sauvages", porteur=lieux.Lille, logiciels=("QGIS",))
    before = [(q, ids(q)) for q in ("signalement", "dépôts", "qgis", "")]
    facets_before = recherche_projets().facettes
    Projet.objects.filter(pk=other.pk).update(document="")
    assert index_rebuild() == 2
    assert [(q, ids(q)) for q in ("signalement", "dépôts", "qgis", "")] == before
    assert recherche_projets().facettes == facets_before
    other.refresh_from_db()
    assert "depot" in other.document.split()
