"""A point exactly on a border or vertex goes to the lowest INSEE code, every time."""

import numpy as np
import pytest
import shapely

from socle.routage import routing
from socle.territoires.models import CommuneGeometry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

BORDEAUX = "33063"


def boundaries() -> tuple[list[str], np.ndarray]:
    rows = CommuneGeometry.objects.filter(commune__active=True).order_by("commune__code")
    pairs = list(rows.values_list("commune__code", "wkb"))
    return [code for code, _wkb in pairs], shapely.from_wkb([bytes(wkb) for _code, wkb in pairs])


def shared_vertices() -> list[tuple[float, float, list[str]]]:
    """Return Bordeaux's vertices that a neighbour's boundary has too, with who touches them."""
    codes, geoms = boundaries()
    bordeaux = geoms[codes.index(BORDEAUX)]
    vertices = {tuple(xy) for xy in shapely.get_coordinates(bordeaux).tolist()}
    shared = []
    for code, geom in zip(codes, geoms, strict=True):
        if code == BORDEAUX:
            continue
        for x, y in vertices & {tuple(xy) for xy in shapely.get_coordinates(geom).tolist()}:
            touching = [codes[i] for i in np.flatnonzero(shapely.intersects_xy(geoms, x, y))]
            assert not shapely.contains_xy(geoms, x, y).any()  # on borders, in no interior
            shared.append((x, y, touching))
    return sorted(shared)


def test_it_gives_a_shared_vertex_to_the_lowest_insee_code(gironde):
    shared = shared_vertices()
    neighbours = {code for _x, _y, touching in shared for code in touching} - {BORDEAUX}
    # Some neighbours have a lower code than Bordeaux (Bègles, 33039), most a higher one.
    assert any(code < BORDEAUX for code in neighbours)
    assert any(code > BORDEAUX for code in neighbours)
    for x, y, touching in shared:
        expected = min(touching)
        answers = {routing.commune_at(y, x) for _ in range(3)}
        assert answers == {expected}, (x, y, touching)
        assert routing.route(y, x, "voirie").commune.code == expected


def test_it_answers_the_same_after_a_rebuild(gironde):
    x, y, touching = shared_vertices()[0]
    first = routing.commune_at(y, x)
    routing.reset_router()
    assert routing.commune_at(y, x) == first == min(touching)
