"""« Qui l'a déjà fait près de chez moi ? »: published projects around a point, nearest first,
within the radius, with the search's words and filters."""

import pytest

from socle.observatoire.recherche import haversine_km, projets_pres_de
from tests.observatoire.fixtures_search import lieux, publier  # noqa: F401

pytestmark = pytest.mark.django_db

PESSAC = (44.8067, -0.6311)


@pytest.fixture
def projets(lieux, publier):  # noqa: F811
    return {
        "pessac": publier("Signalement à Pessac", porteur=lieux.Pessac),
        "merignac": publier("Signalement à Mérignac", porteur=lieux.Merignac),
        "bordeaux": publier(
            "Conseillers numériques à Bordeaux", porteur=lieux.Bordeaux, themes=("inclusion",)
        ),
        "emilion": publier("Wi-Fi des bourgs", porteur=lieux.Saint_Emilion, logiciels=("Wifi4EU",)),
        "paris": publier("DansMaRue : signalement", porteur=lieux.Paris),
        "dunkerque": publier("DK'CL! : signalement", porteur=lieux.Dunkerque),
    }


def test_it_orders_by_distance_within_the_radius(projets):
    near = projets_pres_de(latitude=PESSAC[0], longitude=PESSAC[1], rayon_km=60)
    assert [p.titre for p in near] == [
        "Signalement à Pessac",
        "Signalement à Mérignac",
        "Conseillers numériques à Bordeaux",
        "Wi-Fi des bourgs",
    ]
    distances = [p.distance_km for p in near]
    assert distances[0] == pytest.approx(0, abs=0.01)
    assert distances == sorted(distances)
    assert distances[-1] == pytest.approx(haversine_km(*PESSAC, 44.8947, -0.1553), rel=1e-6)
    assert 37 < distances[-1] < 40


def test_it_measures_great_circle_distances():
    # Paris – Dunkerque, as the crow flies: about 242 km.
    assert haversine_km(48.8566, 2.3522, 51.0344, 2.3768) == pytest.approx(242, abs=1)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015, abs=1)


def test_it_widens_with_the_radius_and_limits(projets):
    everything = projets_pres_de(latitude=PESSAC[0], longitude=PESSAC[1], rayon_km=1000)
    assert [p.titre for p in everything][-2:] == ["DansMaRue : signalement", "DK'CL! : signalement"]
    assert len(projets_pres_de(latitude=PESSAC[0], longitude=PESSAC[1], limit=2)) == 2
    assert projets_pres_de(latitude=43.0, longitude=-1.5, rayon_km=20) == []


def test_it_takes_words_and_filters(projets):
    found = projets_pres_de(latitude=PESSAC[0], longitude=PESSAC[1], rayon_km=1000, q="signalement")
    assert [p.titre for p in found] == [
        "Signalement à Pessac",
        "Signalement à Mérignac",
        "DansMaRue : signalement",
        "DK'CL! : signalement",
    ]
    inclusion = projets_pres_de(latitude=48.85, longitude=2.35, rayon_km=1000, themes=["inclusion"])
    assert [p.titre for p in inclusion] == ["Conseillers numériques à Bordeaux"]
    wifi = projets_pres_de(latitude=48.85, longitude=2.35, rayon_km=1000, logiciel="wifi4eu")
    assert [p.titre for p in wifi] == ["Wi-Fi des bourgs"]
    assert projets_pres_de(latitude=48.85, longitude=2.35, logiciel="inconnu") == []


def test_it_leaves_out_projects_whose_carrier_has_no_position(projets, publier, operateur):  # noqa: F811
    from socle.observatoire.services import acteur_create

    nowhere = acteur_create(
        acting_user=operateur, kind="association", nom="Association sans adresse"
    )
    publier("Signalement associatif", porteur=nowhere)
    found = projets_pres_de(latitude=PESSAC[0], longitude=PESSAC[1], rayon_km=1000)
    assert "Signalement associatif" not in [p.titre for p in found]
