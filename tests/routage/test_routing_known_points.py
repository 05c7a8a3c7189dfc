"""Routing real points of the Gironde to the commune, the holder and the contact."""

import pytest

from socle.routage import routing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

BORDEAUX_HOTEL_DE_VILLE = (44.8378, -0.5792)
PESSAC = (44.8067, -0.6311)
SAINT_EMILION = (44.8945, -0.1557)


def test_it_finds_the_commune_of_bordeaux_city_hall(gironde):
    assert routing.commune_at(*BORDEAUX_HOTEL_DE_VILLE) == "33063"
    result = routing.route(*BORDEAUX_HOTEL_DE_VILLE, "voirie")
    assert result.status == "ok"
    assert (result.commune.code, result.commune.nom) == ("33063", "Bordeaux")


def test_it_gives_voirie_in_pessac_to_bordeaux_metropole_by_law(gironde):
    result = routing.route(*PESSAC, "voirie")
    assert result.commune.code == "33318"
    assert (result.holder.kind, result.holder.nom) == ("epci", "Bordeaux Métropole")
    assert result.reason == "loi"
    assert result.holder.member is False
    # Not a member: the mairie of the point's commune is the way in.
    assert result.contact.point_entree is True
    assert result.contact.collectivite.code == "33318"


def test_it_gives_street_lighting_in_saint_emilion_to_the_commune(gironde):
    result = routing.route(*SAINT_EMILION, "eclairage-public")
    assert result.commune.code == "33394"
    assert (result.holder.kind, result.holder.code) == ("commune", "33394")
    assert result.reason == "defaut"
    assert result.service is None
    assert result.service_reason == "non_membre"
    assert result.contact.point_entree is False
    assert result.contact.telephone == "05 57 24 72 09"
    assert result.to_dict()["contact"]["telephone"] == "05 57 24 72 09"


def test_it_gives_waste_in_saint_emilion_to_its_epci(gironde):
    from socle.territoires.models import Collectivite

    epci = Collectivite.objects.get(kind="commune", code="33394").epci
    result = routing.route(*SAINT_EMILION, "dechets")
    assert (result.holder.kind, result.holder.code) == ("epci", epci.code)
    assert result.reason == "loi"


def test_it_rejects_an_unknown_competence_with_the_valid_codes(gironde):
    with pytest.raises(routing.UnknownCompetence) as error:
        routing.route(*PESSAC, "trottinettes")
    assert "voirie" in error.value.valid_codes
    assert "trottinettes" in error.value.message


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(95.0, 0.0), (0.0, 200.0), (float("nan"), 0.0), (0.0, float("inf")), (-90.5, 0.0)],
)
def test_it_rejects_coordinates_out_of_range(gironde, lat, lon):
    with pytest.raises(routing.InvalidCoordinates):
        routing.route(lat, lon, "voirie")


def test_it_says_hors_france_and_hors_commune(gironde):
    assert routing.route(0.0, 0.0, "voirie").status == "hors_france"
    result = routing.route(44.9, -1.35, "voirie")
    assert result.status == "hors_commune"
    assert result.nearest is not None and result.nearest.distance_km < 20
    assert result.to_dict()["nearest"]["code"] == result.nearest.code
