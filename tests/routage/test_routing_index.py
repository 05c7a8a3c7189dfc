"""The geometry index on made-up communes: exact cells, borders, overlaps, the sea."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

from socle.routage.routing import index as index_module
from socle.routage.routing.index import CELLS_PER_DEGREE, GeometryIndex

CELL = 1 / CELLS_PER_DEGREE


def squares() -> GeometryIndex:
    """Four communes near Bordeaux: A | B side by side, C below both, D an island in A."""
    a = shapely.box(-0.60, 44.80, -0.55, 44.85).difference(shapely.box(-0.59, 44.81, -0.58, 44.82))
    b = shapely.box(-0.55, 44.80, -0.50, 44.85)
    c = shapely.box(-0.60, 44.75, -0.50, 44.80)
    d = shapely.box(-0.59, 44.81, -0.58, 44.82)
    geoms = np.array(
        [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in (a, b, c, d)]
    )
    return GeometryIndex(["33001", "33002", "33003", "33004"], geoms)


def test_it_finds_the_commune_of_points_inside():
    index = squares()
    assert index.locate(-0.575, 44.83) == 0
    assert index.locate(-0.52, 44.83) == 1
    assert index.locate(-0.55, 44.77) == 2
    assert index.locate(-0.585, 44.815) == 3  # the enclave, not the commune around it


def test_it_gives_a_border_point_to_the_lowest_code():
    index = squares()
    assert index.locate(-0.55, 44.83) == 0  # A | B
    assert index.locate(-0.52, 44.80) == 1  # B over C
    assert index.locate(-0.55, 44.80) == 0  # the vertex of A, B and C
    assert index.locate(-0.59, 44.815) == 0  # A around the enclave D


def test_it_agrees_with_shapely_everywhere_including_cell_edges():
    index = squares()
    rng = np.random.default_rng(1)
    xs = np.concatenate(
        [rng.uniform(-0.61, -0.49, 3000), np.floor(rng.uniform(-0.61, -0.49, 500) / CELL) * CELL]
    )
    ys = np.concatenate(
        [rng.uniform(44.74, 44.86, 3000), np.floor(rng.uniform(44.74, 44.86, 500) / CELL) * CELL]
    )
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        inside = np.flatnonzero(shapely.contains_xy(index.geoms, x, y))
        touching = np.flatnonzero(shapely.intersects_xy(index.geoms, x, y))
        expected = inside[0] if len(inside) else (touching[0] if len(touching) else -1)
        assert index.locate(x, y) == expected, (x, y)


def test_it_gives_overlapping_communes_to_the_lowest_code():
    small = shapely.MultiPolygon([shapely.box(-0.55, 44.82, -0.45, 44.88)])
    big = shapely.MultiPolygon([shapely.box(-0.6, 44.8, -0.4, 44.9)])
    # Indexes follow the order given: the router gives the communes sorted by code.
    index = GeometryIndex(["33002", "33010"], np.array([small, big]))
    assert index.locate(-0.5, 44.85) == 0  # in both
    assert index.locate(-0.58, 44.81) == 1  # in the big one only
    # On the small one's edge but inside the big one: an interior comes before an edge.
    assert index.locate(-0.55, 44.85) == 1


def test_it_tells_the_sea_from_abroad():
    index = squares()
    assert index.locate(-0.40, 44.83) == -1  # in metropolitan France's box, in no commune
    assert index.locate(0.0, 0.0) == -2
    assert index.locate(-0.58, 44.70) == -1


def test_it_finds_the_nearest_commune_within_20_km():
    index = squares()
    found, distance = index.nearest(-0.45, 44.83)
    assert found == 1
    # 0.05 degree of longitude at 44.83° N is about 3.9 km.
    assert distance == pytest.approx(3.94, abs=0.05)
    assert index.nearest(-1.2, 44.83) is None


def test_it_builds_an_empty_index():
    index = GeometryIndex([], np.empty(0, dtype=object))
    assert index.locate(-0.57, 44.83) == -1
    assert index.locate(0.0, 0.0) == -2
    assert index.nearest(-0.57, 44.83) is None


# Loads index.py alone (not through its package, whose __init__ imports Django), builds an
# index and prints the Django modules then loaded.
ALONE = """
import importlib.util, sys
import numpy as np, shapely
spec = importlib.util.spec_from_file_location("routing_index", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
index = module.GeometryIndex(["33001"], np.array([shapely.box(-0.6, 44.8, -0.5, 44.9)]))
assert index.locate(-0.55, 44.85) == 0
print(sorted(name for name in sys.modules if name == "django" or name.startswith("django.")))
"""


def test_it_builds_the_index_without_django():
    run = subprocess.run(
        [sys.executable, "-c", ALONE, str(Path(index_module.__file__))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
