"""The read pages of roadmaps: an adopted version as it was, the adoption form, and the
coherence view of the Gironde (its territory chosen by default from the user's member, the
overlaps as mutualisation opportunities, the map's data for its script and the same as a list),
each meeting the accessibility basics."""

import json
import re

import pytest

from socle.observatoire import feuilles
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_feuilles import consented_contact, roadmap_with_software

BASE = "/gestion/pessac/observatoire/feuille-de-route/"
COHERENCE = "/gestion/observatoire/coherence/"


@pytest.fixture
def gironde_roadmaps(demo_members, agent_pessac, agent_bordeaux, elu_pessac):
    _axe, projet = roadmap_with_software(
        agent_pessac,
        demo_members.pessac,
        axe="Démarches en ligne",
        projet="Portail des démarches",
        logiciel="Publik",
    )
    consented_contact(
        agent_pessac,
        demo_members.pessac,
        projet,
        nom="Claire Durand",
        email="claire.durand@pessac.example.fr",
    )
    roadmap_with_software(
        agent_bordeaux,
        demo_members.bordeaux,
        axe="Relation aux usagers",
        projet="Guichet numérique",
        logiciel="Publik",
    )
    return feuilles.feuille_adopt(
        acting_user=elu_pessac, membre=demo_members.pessac, instance="Conseil municipal"
    )


def test_it_shows_an_adopted_version_as_it_was(client, gironde_roadmaps, agent_pessac):
    feuilles.feuille_update(
        acting_user=agent_pessac, membre=gironde_roadmaps.feuille.membre, ambition="Plus tard"
    )
    client.force_login(agent_pessac)
    response = client.get(BASE + "versions/1/")
    html = response.content.decode()
    assert "Feuille de route : version 1" in html
    assert "Ambition de Pessac." in html and "Plus tard" not in html
    assert "Portail des démarches" in html and "Publik" in html
    assert "Conseil municipal" in html
    assert_accessible(response)


def test_it_shows_the_adoption_form(client, gironde_roadmaps, elu_pessac):
    client.force_login(elu_pessac)
    response = client.get(BASE + "adopter/")
    assert "deviendra la version 2" in response.content.decode()
    assert_accessible(response)
    response = client.post(BASE + "adopter/", {"instance": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert_accessible(response)


def test_it_shows_the_gironde_by_default_with_its_overlaps(client, gironde_roadmaps, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get(COHERENCE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Feuilles de route : Gironde" in html
    assert '<option value="departement-33" selected>' in html
    assert "Opportunité de mutualisation : le logiciel Publik" in html
    assert "Claire Durand" in html and "mailto:courrier@mairie-pessac.fr" in html
    assert "Version 1 adoptée le" in html and "Projet de feuille de route" in html
    assert "Thèmes que personne ne couvre" in html and "Cybersécurité" in html
    data = re.search(r'<script id="coherence-points" type="application/json">(.*?)</script>', html)
    points = json.loads(data.group(1))
    assert {point["nom"] for point in points} == {"Pessac", "Bordeaux"}
    assert "Les mêmes membres en liste" in html
    # No inline script other than the JSON data, no inline style.
    assert "<script>" not in html and "style=" not in html
    assert_accessible(response)


def test_it_takes_a_region(client, gironde_roadmaps, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get(COHERENCE, {"zone": "region-75"})
    assert "Feuilles de route : Nouvelle-Aquitaine" in response.content.decode()
    assert_accessible(response)


def test_it_refuses_an_unknown_territory_in_french(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get(COHERENCE, {"zone": "departement-40"})  # no member there
    assert response.status_code == 400
    assert "Choisissez un département ou une région de la liste." in response.content.decode()
    assert_accessible(response)
