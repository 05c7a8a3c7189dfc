"""A member holder's service: the one whose sector holds the point, else one without sector."""

import json

import pytest

from socle.membres.services import membre_onboard, service_create
from socle.routage import routing
from socle.territoires.models import Collectivite, Competence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

PESSAC = (44.8067, -0.6311)
PESSAC_EAST = (44.8000, -0.6000)


def square(lat: float, lon: float, half: float = 0.005) -> str:
    """Return a GeoJSON square around a point."""
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def metropole(gironde):
    """Bordeaux Métropole, a member: it holds voirie in Pessac by law."""
    epci = Collectivite.objects.get(kind="epci", nom="Bordeaux Métropole")
    return membre_onboard(
        collectivite=epci, slug="bordeaux-metropole", admin_email=None, acting_user=None
    )


def competence(code: str) -> Competence:
    return Competence.objects.get(code=code)


def test_it_gives_the_member_service_handling_the_competence(metropole):
    service = service_create(
        acting_user=None,
        membre=metropole,
        nom="Voirie",
        competences=[competence("voirie")],
        email="voirie@example.fr",
        telephone="05 00 00 00 00",
    )
    result = routing.route(*PESSAC, "voirie")
    assert result.holder.member is True and result.holder.slug == "bordeaux-metropole"
    assert result.service.id == service.pk
    assert result.service_reason == "general"
    assert result.contact is None
    data = result.to_dict()
    assert data["holder"]["collectivite"]["slug"] == "bordeaux-metropole"
    assert data["service"] == {
        "id": service.pk,
        "nom": "Voirie",
        "email": "voirie@example.fr",
        "telephone": "05 00 00 00 00",
        "secteur": None,
    }


def test_it_prefers_the_service_whose_sector_holds_the_point(metropole):
    voirie = [competence("voirie")]
    elsewhere = service_create(
        acting_user=None,
        membre=metropole,
        nom="Voirie rive droite",
        competences=voirie,
        secteur_nom="Rive droite",
        secteur_geojson=square(44.85, -0.53),
    )
    general = service_create(acting_user=None, membre=metropole, nom="Voirie", competences=voirie)
    sector = service_create(
        acting_user=None,
        membre=metropole,
        nom="Voirie Pessac",
        competences=voirie,
        secteur_nom="Pessac centre",
        secteur_geojson=square(*PESSAC),
    )
    service_create(
        acting_user=None,
        membre=metropole,
        nom="Voirie Pessac bis",
        competences=voirie,
        secteur_nom="Pessac, encore",
        secteur_geojson=square(*PESSAC, half=0.01),
    )
    result = routing.route(*PESSAC, "voirie")
    # Two sectors hold the point: the lowest id wins.
    assert (result.service.id, result.service.secteur) == (sector.pk, "Pessac centre")
    assert result.service_reason == "secteur"
    outside = routing.route(*PESSAC_EAST, "voirie")
    assert outside.service.id == general.pk
    assert outside.service_reason == "general"
    assert elsewhere.pk not in {result.service.id, outside.service.id}


def test_it_says_when_the_member_has_no_service_for_the_point(metropole):
    service_create(
        acting_user=None, membre=metropole, nom="Collecte", competences=[competence("dechets")]
    )
    result = routing.route(*PESSAC, "voirie")
    assert result.holder.member is True
    assert (result.service, result.service_reason) == (None, "aucun_service")
    # Nobody on the platform handles it: the citizen gets the mairie of the point instead.
    assert result.contact.point_entree is True
    assert result.contact.collectivite.code == "33318"
    assert result.contact.telephone == "05 57 93 63 63"

    service_create(
        acting_user=None,
        membre=metropole,
        nom="Voirie rive droite",
        competences=[competence("voirie")],
        secteur_geojson=square(44.85, -0.53),
    )
    result = routing.route(*PESSAC, "voirie")
    assert (result.service, result.service_reason) == (None, "hors_secteur")


def test_it_ignores_an_inactive_member(metropole):
    service_create(
        acting_user=None, membre=metropole, nom="Voirie", competences=[competence("voirie")]
    )
    metropole.active = False
    metropole.save(update_fields=["active"])
    from socle.territoires.services import routing_rules_changed

    routing_rules_changed()
    result = routing.route(*PESSAC, "voirie")
    assert result.holder.member is False
    assert result.service is None
    assert result.contact.point_entree is True
