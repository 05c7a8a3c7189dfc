"""The coherence view of a territory's roadmaps: two members planning the same software, or a
similar project under the same theme, are an overlap (a mutualisation opportunity) with the
people to connect — only those who consented, and the collectivité's generic address; the
themes no roadmap covers are listed."""

import pytest

from socle.observatoire import feuilles
from socle.observatoire.themes import THEMES
from tests.observatoire.fixtures_feuilles import (
    consented_contact,
    roadmap_with_software,
    unconsented_contact,
)


@pytest.fixture
def two_roadmaps_with_publik(demo_members, agent_pessac, agent_bordeaux):
    _axe, pessac_projet = roadmap_with_software(
        agent_pessac,
        demo_members.pessac,
        axe="Démarches en ligne",
        projet="Portail des démarches",
        logiciel="Publik",
    )
    _axe, bordeaux_projet = roadmap_with_software(
        agent_bordeaux,
        demo_members.bordeaux,
        axe="Relation aux usagers",
        projet="Guichet numérique unique",
        logiciel="Publik",
    )
    return pessac_projet, bordeaux_projet


def _overlaps(kind):
    view = feuilles.coherence(departement_code="33")
    return [overlap for overlap in view.chevauchements if overlap.kind == kind]


def test_it_shows_two_members_planning_the_same_software(two_roadmaps_with_publik):
    (overlap,) = _overlaps("logiciel")
    assert overlap.titre == "Publik"
    assert [item.nom for item in overlap.membres] == ["Bordeaux", "Pessac"]
    assert [item.projets for item in overlap.membres] == [
        ["Guichet numérique unique"],
        ["Portail des démarches"],
    ]
    assert overlap.themes == [str(THEMES["services-usagers"])]


def test_it_names_only_the_people_who_consented(
    two_roadmaps_with_publik, agent_pessac, agent_bordeaux, demo_members
):
    pessac_projet, bordeaux_projet = two_roadmaps_with_publik
    consented_contact(
        agent_pessac,
        demo_members.pessac,
        pessac_projet,
        nom="Claire Durand",
        email="claire.durand@pessac.example.fr",
    )
    unconsented_contact(
        agent_bordeaux,
        demo_members.bordeaux,
        bordeaux_projet,
        nom="Jean Secret",
        email="jean.secret@bordeaux.example.fr",
    )
    (overlap,) = _overlaps("logiciel")
    bordeaux, pessac = overlap.membres
    assert [contact.nom for contact in pessac.contacts] == ["Claire Durand"]
    assert bordeaux.contacts == []
    # The generic address of the mairie (the Annuaire's), never a person's without consent.
    assert pessac.email == "courrier@mairie-pessac.fr"
    assert bordeaux.site_web == "https://www.bordeaux.fr"


def test_it_forgets_a_person_who_withdraws(two_roadmaps_with_publik, agent_pessac, demo_members):
    from socle.observatoire.services import contact_consent_withdraw

    pessac_projet, _ = two_roadmaps_with_publik
    contact = consented_contact(
        agent_pessac, demo_members.pessac, pessac_projet, nom="Claire Durand", email="c@x.fr"
    )
    contact_consent_withdraw(contact=contact)
    (overlap,) = _overlaps("logiciel")
    assert all(item.contacts == [] for item in overlap.membres)


def test_it_needs_two_members_for_an_overlap(demo_members, agent_pessac):
    roadmap_with_software(
        agent_pessac, demo_members.pessac, axe="A", projet="Portail", logiciel="Publik"
    )
    roadmap_with_software(
        agent_pessac, demo_members.pessac, axe="B", projet="Guichet", logiciel="Publik"
    )
    assert _overlaps("logiciel") == []


def test_it_finds_similar_planned_projects_under_a_shared_theme(
    demo_members, agent_pessac, agent_bordeaux
):
    roadmap_with_software(
        agent_pessac,
        demo_members.pessac,
        axe="Cadre de vie",
        projet="Application de signalement de la voirie",
        logiciel="Logiciel A",
    )
    roadmap_with_software(
        agent_bordeaux,
        demo_members.bordeaux,
        axe="Espace public",
        projet="Application signalement des problèmes de voirie",
        logiciel="Logiciel B",
    )
    # Same words, another theme: not the same thing.
    roadmap_with_software(
        agent_bordeaux,
        demo_members.bordeaux,
        axe="Données",
        projet="Signalement voirie : données ouvertes",
        logiciel="Logiciel C",
        themes=("donnee",),
    )
    (overlap,) = _overlaps("projet")
    assert [item.nom for item in overlap.membres] == ["Bordeaux", "Pessac"]
    assert overlap.membres[0].projets == ["Application signalement des problèmes de voirie"]
    assert overlap.themes == [str(THEMES["services-usagers"])]


def test_it_measures_title_similarity_with_french_words():
    from socle.observatoire.text import words

    def score(first, second):
        return feuilles.jaccard(set(words(first)), set(words(second)))

    # {applic, signal, voir} against {applic, signal, problem, voir}: 3 / 4.
    assert (
        score(
            "Application de signalement voirie", "Application signalement des problèmes de voirie"
        )
        == 0.75
    )
    # {portail, famill} against {portail, citoyen}: 1 / 3, under the threshold.
    assert score("Portail famille", "Portail citoyen") < feuilles.SIMILAR_TITLE_THRESHOLD


def test_it_lists_the_themes_nobody_covers(two_roadmaps_with_publik, demo_members, agent_pessac):
    feuilles.axe_create(
        acting_user=agent_pessac,
        membre=demo_members.pessac,
        titre="Protéger le système d’information",
        themes=["cybersecurite"],
    )
    view = feuilles.coherence(departement_code="33")
    uncovered = [code for code, _label in view.themes_non_couverts]
    assert "services-usagers" not in uncovered and "cybersecurite" not in uncovered
    assert len(uncovered) == 8
    assert view.themes_non_couverts[0] == ("strategie", "Stratégie et gouvernance numériques")


def test_it_shows_the_adopted_version_else_the_draft(
    two_roadmaps_with_publik, demo_members, agent_pessac, elu_pessac
):
    pessac = demo_members.pessac
    feuilles.feuille_adopt(acting_user=elu_pessac, membre=pessac, instance="Conseil municipal")
    feuilles.feuille_update(acting_user=agent_pessac, membre=pessac, ambition="Brouillon suivant")
    view = feuilles.coherence(departement_code="33")
    by_name = {item.nom: item for item in view.feuilles}
    assert by_name["Pessac"].version == 1 and by_name["Pessac"].revisee
    assert by_name["Pessac"].ambition == "Ambition de Pessac."  # the adopted text
    assert by_name["Pessac"].etat.startswith("Version 1 adoptée le ")
    assert by_name["Bordeaux"].version is None
    assert by_name["Bordeaux"].etat == "Projet de feuille de route"
    assert [membre.slug for membre in view.sans_feuille] == ["bordeaux-metropole"]
