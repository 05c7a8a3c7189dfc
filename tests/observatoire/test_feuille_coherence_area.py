"""The coherence view covers one territory: a département (its communes, EPCIs and the
département itself) or a région (the same, and the région itself); members elsewhere are not
in it, and its map places the members that have coordinates."""

import pytest
from django.http import Http404

from socle.membres.services import membre_onboard
from socle.observatoire import feuilles
from socle.territoires.models import Collectivite


@pytest.fixture
def landes_and_region(demo_members):
    landes = membre_onboard(
        acting_user=None,
        collectivite=Collectivite.objects.get(kind="departement", code="40"),
        slug="landes",
        admin_email=None,
    )
    gironde = membre_onboard(
        acting_user=None,
        collectivite=Collectivite.objects.get(kind="departement", code="33"),
        slug="gironde",
        admin_email=None,
    )
    region = membre_onboard(
        acting_user=None,
        collectivite=Collectivite.objects.get(kind="region", code="75"),
        slug="nouvelle-aquitaine",
        admin_email=None,
    )
    for membre in (landes, gironde, region):
        feuilles.feuille_update(acting_user=None, membre=membre, ambition="Une ambition.")
    return landes, gironde, region


def _slugs(view):
    return [item.membre.slug for item in view.feuilles] + [m.slug for m in view.sans_feuille]


def test_it_keeps_a_departement_to_its_own_members(landes_and_region):
    view = feuilles.coherence(departement_code="33")
    assert view.zone.nom == "Gironde"
    assert sorted(_slugs(view)) == ["bordeaux", "bordeaux-metropole", "gironde", "pessac"]
    # Widest first: the département, the EPCI, then the communes.
    assert [item.membre.slug for item in view.feuilles] == ["gironde"]


def test_it_takes_a_region_with_its_departements_and_itself(landes_and_region):
    view = feuilles.coherence(region_code="75")
    assert [item.membre.slug for item in view.feuilles] == [
        "nouvelle-aquitaine",
        "gironde",
        "landes",
    ]
    assert {"pessac", "bordeaux", "bordeaux-metropole"} <= set(_slugs(view))


def test_it_places_the_members_with_coordinates_on_the_map(demo_members):
    view = feuilles.coherence(departement_code="33")
    points = {point["nom"]: point for point in view.points}
    assert points["Pessac"]["lat"] == pytest.approx(44.80553)
    assert points["Pessac"]["etat"] == "Pas encore de feuille de route"
    assert "Bordeaux Métropole" not in points  # no coordinates in the data


def test_it_offers_the_territories_where_members_are(landes_and_region):
    zones = feuilles.zones()
    assert [c.code for c in zones["departement"]] == ["33", "40"]
    assert [c.code for c in zones["region"]] == ["75"]


def test_it_does_not_know_a_territory_that_does_not_exist(demo_members):
    with pytest.raises(Http404):
        feuilles.coherence(departement_code="999")


def test_it_places_an_epci_where_its_actor_is(demo_members):
    from socle.observatoire.services import acteur_ensure_membre

    acteur = acteur_ensure_membre(membre=demo_members.metropole)
    acteur.latitude, acteur.longitude = 44.84, -0.58
    acteur.save(update_fields=["latitude", "longitude"])
    view = feuilles.coherence(departement_code="33")
    points = {point["nom"]: point for point in view.points}
    assert (points["Bordeaux Métropole"]["lat"], points["Bordeaux Métropole"]["lon"]) == (
        44.84,
        -0.58,
    )
