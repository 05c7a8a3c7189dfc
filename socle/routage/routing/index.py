"""The geometry index: which commune a point lies in; Django-free (numpy and shapely).

The grid
    Built once per process, lazily, from the boundaries (CommuneGeometry) of active
    communes sorted by INSEE code, so a commune's index orders like its code. Each zone
    (metropolitan France with Corsica, and each overseas département) gets a dense int32
    grid of cells of 1/256 degree (about 300 m x 430 m). 256 is a power of two, so
    ``floor(lon * 256)`` is exact and a point's cell is never in doubt. A cell holds:

    - ``>= 0``: the one commune covering the whole cell; no geometry test at all;
    - ``-1``: no commune touches the cell (the sea, a neighbouring country);
    - ``<= -2``: a candidate set, the communes whose boundary crosses the cell plus any
      commune covering it, tested with one vectorised ``shapely.contains_xy`` over
      prepared geometries. Identical sets are stored once.

    A cell is a boundary cell when a boundary segment touches it (with a margin of a
    millionth of a cell); the other cells take the commune of their row's run, found by
    one point-in-polygon test per run, since a run that no boundary touches lies in a
    single commune or in none.

Borders
    A point exactly on a shared border or vertex lies in no polygon's interior; it then
    goes to the candidate whose closed polygon holds it (``shapely.intersects_xy``) with
    the lowest INSEE code. The same rule (lowest code) decides between overlapping
    boundaries, so the answer never depends on the order of anything. An interior comes
    first: a point inside commune A and on the edge of an overlapping B goes to A.

Outside France
    A point outside the bounding boxes of the zones is "hors_france". Inside a box but in
    no commune it is "hors_commune", with the nearest commune and its distance when
    within NEAREST_MAX_KM (an STRtree query, only on this slow path).
"""

from __future__ import annotations

import math
import time
from typing import NamedTuple

import numpy as np
import shapely

# Cells per degree: a power of two keeps floor(coordinate * CELLS_PER_DEGREE) exact.
CELLS_PER_DEGREE = 256
# Segments count for every cell they come within this fraction of a cell of.
CELL_MARGIN = 1e-6
NEAREST_MAX_KM = 20.0
KM_PER_DEGREE = 111.195  # on the mean Earth radius, 6371 km
# Communes rasterised at once: bounds the temporary arrays of a build.
RASTER_CHUNK = 4000
POINT_CHUNK = 200_000

_NOT_COMPUTED = np.iinfo(np.int32).min


# (min_lon, min_lat, max_lon, max_lat) of France's zones, from the communes' boundaries
# rounded outwards; a point outside all of them is "hors_france".
FRANCE_ZONES = {
    "metropole": (-5.15, 41.33, 9.56, 51.09),  # with Corsica
    "971": (-61.81, 15.83, -61.00, 16.52),  # Guadeloupe
    "972": (-61.23, 14.39, -60.81, 14.88),  # Martinique
    "973": (-54.61, 2.11, -51.61, 5.75),  # Guyane
    "974": (55.21, -21.39, 55.84, -20.87),  # La Réunion
    "976": (45.01, -13.01, 45.30, -12.63),  # Mayotte
}


class Zone(NamedTuple):
    """A zone's bounding box and the grid of cells over its communes."""

    name: str
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    # Cell numbers of the grid's first column and row, and its size.
    col0: int
    row0: int
    width: int
    height: int
    grid: np.ndarray


# numpy's np.unique hashes: sorting is several times faster on these large int arrays.


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Return the distinct values, sorted."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def runs_of(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the distinct values of a sorted array, where each run starts, and its length."""
    if not len(values):
        return values, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]]))
    return values[starts], starts, np.diff(np.append(starts, len(values)))


def unique_rows(table: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct rows of a table of ints in [-1, limit), and each row's number."""
    # Pack each row into a few uint64 keys (16 or 32 bits a value), then sort the keys.
    bits = 16 if limit < 2**16 - 1 else 32
    per_key = 64 // bits
    shifted = (table.astype(np.int64) + 1).astype(np.uint64)
    keys = []
    for start in range(0, table.shape[1], per_key):
        key = np.zeros(len(table), dtype=np.uint64)
        for column in range(start, min(start + per_key, table.shape[1])):
            key = (key << np.uint64(bits)) | shifted[:, column]
        keys.append(key)
    order = np.lexsort(keys[::-1])
    fresh = np.zeros(len(table), dtype=bool)
    fresh[:1] = True
    for key in keys:
        ordered = key[order]
        fresh[1:] |= ordered[1:] != ordered[:-1]
    number = np.cumsum(fresh) - 1
    inverse = np.empty(len(table), dtype=np.int64)
    inverse[order] = number
    return table[order[fresh]], inverse


def spatial_order(points: np.ndarray) -> np.ndarray:
    """Return an order of the points that keeps neighbours close (Morton, or Z-order)."""
    if not len(points):
        return np.empty(0, dtype=np.int64)
    low = points.min(axis=0)
    span = np.maximum(points.max(axis=0) - low, 1e-9)
    quantised = ((points - low) / span * 65535).astype(np.uint64)

    def spread(value: np.ndarray) -> np.ndarray:
        # Insert a zero bit between the 16 bits of each value.
        value = (value | (value << 8)) & 0x00FF00FF
        value = (value | (value << 4)) & 0x0F0F0F0F
        value = (value | (value << 2)) & 0x33333333
        return (value | (value << 1)) & 0x55555555

    return np.argsort(spread(quantised[:, 0]) | (spread(quantised[:, 1]) << 1), kind="stable")


def _zone_name(code: str) -> str:
    """Return the zone of a commune: its overseas département, or metropolitan France."""
    return code[:3] if code.startswith("97") else "metropole"


class GeometryIndex:
    """Which commune a point lies in, for every active commune with a boundary."""

    def __init__(self, codes: list[str], geoms: np.ndarray) -> None:
        started = time.perf_counter()
        self.codes = codes
        self.geoms = geoms
        count = len(codes)
        self.zones: list[Zone] = []
        self.tree = shapely.STRtree(geoms)
        bounds = shapely.bounds(geoms) if count else np.empty((0, 4))
        centres = (bounds[:, :2] + bounds[:, 2:]) / 2
        # Prepared geometries build their point locators lazily, GEOS on the second query
        # (the first is a plain scan): query twice now, so that lookups are fast from the
        # start and forked workers share the locators; in spatial order, so that a cell's
        # candidates, neighbours, sit close in memory.
        order = spatial_order(centres)
        shapely.prepare(geoms[order])
        for _query in range(2):
            shapely.contains_xy(geoms[order], centres[order, 0], centres[order, 1])

        # Candidate sets, stored once each: set i is set_members[set_offsets[i]:...[i + 1]].
        self._set_members: list[np.ndarray] = []
        self._set_sizes: list[np.ndarray] = []
        self._set_count = 0
        zone_of = np.array([_zone_name(code) for code in codes], dtype=str)
        names = sorted(
            set(FRANCE_ZONES) | set(zone_of.tolist()), key=lambda name: (name != "metropole", name)
        )
        for name in names:
            self.zones.append(self._build_zone(name, np.flatnonzero(zone_of == name), bounds))
        sizes = np.concatenate([np.zeros(1, np.int64), *self._set_sizes])
        self.set_offsets = np.cumsum(sizes)
        self.set_members = np.concatenate([np.empty(0, np.int32), *self._set_members])
        self.set_geoms = geoms[self.set_members]
        del self._set_members, self._set_sizes
        self.seconds = time.perf_counter() - started

    def _build_zone(self, name: str, members: np.ndarray, bounds: np.ndarray) -> Zone:
        """Build the grid of one zone from the communes in it."""
        scale = CELLS_PER_DEGREE
        box = FRANCE_ZONES.get(name)
        if not len(members):
            assert box is not None
            return Zone(name, *box, col0=0, row0=0, width=0, height=0, grid=np.empty((0, 0)))
        min_lon, min_lat = bounds[members, 0].min(), bounds[members, 1].min()
        max_lon, max_lat = bounds[members, 2].max(), bounds[members, 3].max()
        col0, row0 = math.floor(min_lon * scale), math.floor(min_lat * scale)
        width = math.floor(max_lon * scale) - col0 + 1
        height = math.floor(max_lat * scale) - row0 + 1
        if box is not None:
            # The grid covers the communes; the rest of the zone's box is in no commune.
            min_lon, min_lat = min(min_lon, box[0]), min(min_lat, box[1])
            max_lon, max_lat = max(max_lon, box[2]), max(max_lat, box[3])
        count = len(self.codes)

        # (cell, commune) pairs, cell = row * width + column, for every boundary crossing.
        chunks = [
            self._boundary_pairs(members[i : i + RASTER_CHUNK], col0, row0, width, height)
            for i in range(0, len(members), RASTER_CHUNK)
        ]
        pairs = sorted_unique(np.concatenate(chunks))
        del chunks
        cells = sorted_unique(pairs // count)

        # A commune may cover a boundary cell without its own boundary touching it (when
        # boundaries overlap): it then holds the cell's centre.
        covering = self._containing(
            (cells % width + col0 + 0.5) / scale,
            (cells // width + row0 + 0.5) / scale,
            exclude=pairs,
            cells=cells,
        )
        if len(covering):
            pairs = sorted_unique(np.concatenate([pairs, covering]))
        cells, first, sizes = runs_of(pairs // count)
        # One row of candidates per cell (padded with -1), so identical sets dedupe in numpy.
        table = np.full((len(cells), int(sizes.max())), -1, dtype=np.int32)
        table[
            np.repeat(np.arange(len(cells)), sizes), np.arange(len(pairs)) - np.repeat(first, sizes)
        ] = pairs % count
        del pairs, first, sizes
        sets, inverse = unique_rows(table, count)
        del table
        self._set_members.append(sets[sets >= 0])  # row by row, in order
        self._set_sizes.append((sets >= 0).sum(axis=1))
        grid = np.full(height * width, _NOT_COMPUTED, dtype=np.int32)
        grid[cells] = -2 - (self._set_count + inverse.reshape(-1)).astype(np.int32)
        self._set_count += len(sets)
        del cells, sets, inverse

        # The other cells, run by run along each row: no boundary crosses a run, so it
        # lies in one commune (or none), that of its first cell's centre.
        free = grid == _NOT_COMPUTED
        previous = np.zeros_like(free)
        previous[1:] = free[:-1]
        previous[::width] = False
        starts = np.flatnonzero(free & ~previous)
        following = np.zeros_like(free)
        following[:-1] = free[1:]
        following[width - 1 :: width] = False
        stops = np.flatnonzero(free & ~following)
        del previous, following
        holders = self._containing(
            (starts % width + col0 + 0.5) / scale, (starts // width + row0 + 0.5) / scale
        )
        grid[free] = np.repeat(holders.astype(np.int32), stops - starts + 1)
        return Zone(
            name,
            float(min_lon),
            float(min_lat),
            float(max_lon),
            float(max_lat),
            col0,
            row0,
            width,
            height,
            grid.reshape(height, width),
        )

    def _boundary_pairs(
        self, members: np.ndarray, col0: int, row0: int, width: int, height: int
    ) -> np.ndarray:
        """Return cell * count + commune for every cell the communes' boundaries touch."""
        scale = CELLS_PER_DEGREE
        parts, part_owner = shapely.get_parts(self.geoms[members], return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
        same_ring = coord_ring[:-1] == coord_ring[1:]
        start = coords[:-1][same_ring] * scale
        end = coords[1:][same_ring] * scale
        owner = members[part_owner[ring_part[coord_ring[:-1][same_ring]]]]
        del parts, rings, coords, coord_ring, same_ring

        # Cut segments into pieces no longer than a cell, so each piece's box spans at most
        # three cells a side (with the margin) and the boxes follow the segment closely.
        steps = np.maximum(1, np.ceil(np.abs(end - start).max(axis=1))).astype(np.int64)
        segment = np.repeat(np.arange(len(start)), steps)
        step = np.arange(len(segment)) - np.repeat(np.cumsum(steps) - steps, steps)
        fraction = step / steps[segment]
        delta = (end - start)[segment]
        a = start[segment] + delta * fraction[:, None]
        b = start[segment] + delta * (fraction + 1 / steps[segment])[:, None]
        owner = owner[segment]
        del segment, step, fraction, delta, start, end, steps
        low = np.floor(np.minimum(a, b) - CELL_MARGIN).astype(np.int64)
        high = np.floor(np.maximum(a, b) + CELL_MARGIN).astype(np.int64)
        del a, b
        low[:, 0] -= col0
        low[:, 1] -= row0
        high[:, 0] -= col0
        high[:, 1] -= row0
        count = len(self.codes)
        found = []
        for dx in range(3):
            for dy in range(3):
                col = low[:, 0] + dx
                row = low[:, 1] + dy
                keep = (col <= high[:, 0]) & (row <= high[:, 1])
                # Cells beyond the zone's box can hold no point of the zone.
                keep &= (col >= 0) & (col < width) & (row >= 0) & (row < height)
                found.append((row[keep] * width + col[keep]) * count + owner[keep])
        return sorted_unique(np.concatenate(found))

    def _containing(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        exclude: np.ndarray | None = None,
        cells: np.ndarray | None = None,
    ) -> np.ndarray:
        """Return the lowest commune containing each point (-1 for none).

        With exclude (sorted cell * count + commune) and cells, return instead the pairs
        cell * count + commune of the communes containing each point, less those excluded.
        """
        count = len(self.codes)
        lowest = np.full(len(xs), count, dtype=np.int64)
        extra = []
        for i in range(0, len(xs), POINT_CHUNK):
            x, y = xs[i : i + POINT_CHUNK], ys[i : i + POINT_CHUNK]
            point, commune = self.tree.query(shapely.points(x, y))
            if exclude is not None and cells is not None:
                keys = cells[i + point] * count + commune
                where = np.searchsorted(exclude, keys).clip(max=len(exclude) - 1)
                fresh = exclude[where] != keys
                point, commune, keys = point[fresh], commune[fresh], keys[fresh]
                inside = shapely.contains_xy(self.geoms[commune], x[point], y[point])
                extra.append(keys[inside])
                continue
            inside = shapely.contains_xy(self.geoms[commune], x[point], y[point])
            np.minimum.at(lowest, i + point[inside], commune[inside])
        if exclude is not None:
            return np.concatenate(extra) if extra else np.empty(0, dtype=np.int64)
        lowest[lowest == count] = -1
        return lowest

    def locate(self, lon: float, lat: float) -> int:
        """Return the commune's index, -1 inside a zone but in no commune, -2 outside them."""
        scale = CELLS_PER_DEGREE
        for (
            _name,
            min_lon,
            min_lat,
            max_lon,
            max_lat,
            col0,
            row0,
            width,
            height,
            grid,
        ) in self.zones:
            if min_lon <= lon <= max_lon and min_lat <= lat <= max_lat:
                row = math.floor(lat * scale) - row0
                col = math.floor(lon * scale) - col0
                if not (0 <= row < height and 0 <= col < width):
                    return -1
                value = grid.item(row, col)
                if value >= -1:
                    return value
                set_id = -2 - value
                start = self.set_offsets.item(set_id)
                candidates = self.set_geoms[start : self.set_offsets.item(set_id + 1)]
                for i, inside in enumerate(shapely.contains_xy(candidates, lon, lat).tolist()):
                    if inside:
                        return self.set_members.item(start + i)
                # On a border or vertex, or in no commune at all.
                for i, touches in enumerate(shapely.intersects_xy(candidates, lon, lat).tolist()):
                    if touches:
                        return self.set_members.item(start + i)
                return -1
        return -2

    def nearest(self, lon: float, lat: float) -> tuple[int, float] | None:
        """Return the nearest commune within NEAREST_MAX_KM and its distance in km."""
        lat_span = NEAREST_MAX_KM / KM_PER_DEGREE
        lon_scale = KM_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6)
        lon_span = NEAREST_MAX_KM / lon_scale
        box = shapely.box(lon - lon_span, lat - lat_span, lon + lon_span, lat + lat_span)
        candidates = np.sort(self.tree.query(box))
        if not len(candidates):
            return None
        # Distances in a local equirectangular projection, in km: exact enough at 20 km.
        local = shapely.transform(
            self.geoms[candidates],
            lambda xy: (xy - (lon, lat)) * (lon_scale, KM_PER_DEGREE),
        )
        distances = shapely.distance(local, shapely.Point(0, 0))
        best = int(np.argmin(distances))  # the first minimum: the lowest code
        distance = float(distances[best])
        if distance > NEAREST_MAX_KM:
            return None
        return int(candidates[best]), round(distance, 2)
