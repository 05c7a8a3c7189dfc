"""Only published projects are ever found: not drafts, not projects waiting for review or sent
back, not withdrawn ones; not by words, facets, « near me » nor « similar projects »."""

import pytest

from socle.observatoire.models import Projet
from socle.observatoire.recherche import projets_pres_de, recherche_projets
from socle.observatoire.services import (
    projet_publish,
    projet_send_back,
    projet_submit,
    projet_withdraw,
)
from socle.observatoire.similaires import projets_similaires
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db

RESUME = "Les habitants signalent les nids-de-poule de la voirie."


@pytest.fixture
def projets(lieux, publier, operateur):  # noqa: F811
    publie = publier("Signalement voirie publié", porteur=lieux.Pessac, resume=RESUME)
    brouillon = publier(
        "Signalement voirie brouillon", porteur=lieux.Pessac, resume=RESUME, publier=False
    )
    soumis = publier(
        "Signalement voirie soumis", porteur=lieux.Pessac, resume=RESUME, publier=False
    )
    projet_submit(acting_user=operateur, projet=soumis)
    corriger = publier(
        "Signalement voirie à corriger", porteur=lieux.Pessac, resume=RESUME, publier=False
    )
    projet_submit(acting_user=operateur, projet=corriger)
    projet_send_back(acting_user=operateur, projet=corriger, commentaire="Le budget manque.")
    retire = publier("Signalement voirie retiré", porteur=lieux.Pessac, resume=RESUME)
    projet_withdraw(acting_user=operateur, projet=retire)
    return {"publie": publie, "brouillon": brouillon, "soumis": soumis, "retire": retire}


def test_it_finds_only_the_published_project(projets):
    etats = dict(Projet.objects.values_list("titre", "etat"))
    assert sorted(etats.values()) == ["a_corriger", "brouillon", "publie", "retire", "soumis"]
    for q in ("signalement voirie", "", "brouillon", "soumis", "retiré", "corriger"):
        resultat = recherche_projets(q=q)
        assert {p.titre for p in resultat.projets} <= {"Signalement voirie publié"}
        assert resultat.total == len(resultat.projets)
    facettes = recherche_projets().facettes
    assert {f.valeur: f.nombre for f in facettes["departements"]} == {"33": 1}


def test_it_never_shows_them_near_me_or_as_similar(projets, lieux):  # noqa: F811
    near = projets_pres_de(latitude=44.8, longitude=-0.63, rayon_km=20)
    assert [p.titre for p in near] == ["Signalement voirie publié"]
    # Asked for a draft (a contributor's page), similar projects are published ones only.
    similar = projets_similaires(projet=projets["brouillon"])
    assert [p.titre for p in similar] == ["Signalement voirie publié"]
    assert projets_similaires(projet=projets["publie"]) == []


def test_it_forgets_a_withdrawn_project_and_finds_it_again_once_republished(projets, operateur):
    projet = projets["publie"]
    projet_withdraw(acting_user=operateur, projet=projet)
    assert recherche_projets(q="signalement").total == 0
    projet_submit(acting_user=operateur, projet=projet)
    assert recherche_projets(q="signalement").total == 0
    projet_publish(acting_user=operateur, projet=projet)
    assert [p.pk for p in recherche_projets(q="signalement").projets] == [projet.pk]


def test_it_forgets_a_deleted_project(projets):
    projets["publie"].delete()
    assert recherche_projets(q="signalement").total == 0
    assert recherche_projets().facettes["departements"] == []
