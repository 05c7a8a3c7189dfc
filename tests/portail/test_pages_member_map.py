"""The static SVG map of a commune: its boundary, its mairie, cached per territory version."""

import pytest
from django.core.cache import cache

from socle.territoires.models import Collectivite, CommuneGeometry, RoutingVersion
from socle.territoires.svgmap import commune_map_svg, osm_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def bordeaux(gironde):
    cache.clear()
    yield Collectivite.objects.get(kind=Collectivite.Kind.COMMUNE, code="33063")
    cache.clear()


def test_it_draws_the_boundary_and_the_mairie(bordeaux):
    svg = commune_map_svg(bordeaux)
    assert svg.startswith('<svg class="carte"')
    assert 'role="img"' in svg
    assert (
        'aria-label="Carte de Bordeaux : limites de la commune et emplacement de la mairie"' in svg
    )
    assert "<title>Carte de Bordeaux" in svg
    assert '<path class="carte-commune"' in svg
    assert '<g class="carte-mairie"' in svg
    assert len(svg) < 20_000


def test_it_caches_the_map_until_the_territory_changes(bordeaux, django_assert_num_queries):
    commune_map_svg(bordeaux)
    with django_assert_num_queries(1):  # the version only
        commune_map_svg(bordeaux)
    RoutingVersion.objects.update_or_create(pk=1, defaults={"territory": 10_000})
    with django_assert_num_queries(2):  # the version, then the boundary again
        commune_map_svg(bordeaux)


def test_it_draws_nothing_without_a_boundary(bordeaux):
    CommuneGeometry.objects.filter(commune=bordeaux).delete()
    assert commune_map_svg(bordeaux) == ""
    assert osm_url(bordeaux).startswith("https://www.openstreetmap.org/?mlat=44.8")


def test_it_keeps_the_text_alternative_when_there_is_no_map(client, demo_members):
    CommuneGeometry.objects.filter(commune=demo_members.bordeaux.collectivite).delete()
    cache.clear()
    html = client.get("/bordeaux/").content.decode()
    assert '<svg class="carte"' not in html
    assert "Voir sur OpenStreetMap" in html
    assert "La mairie se trouve : Place Pey-Berland" in html
