"""Route a point and a competence to whoever handles it: fast, exact and deterministic.

``route(lat, lon, competence)`` finds the commune where the point lies, who holds the
competence there and why, then the member's service that handles it, or the holder's
public contact when the holder is not a member. Everything it reads lives in memory:
no ORM query (but the version check, once a second) and no geometry object is created
on the hot path. What does not depend on the point within its commune (holder, reason,
contact, a service without sector) is resolved once per commune and competence, then
cached as one Answer, so a call touches few objects (each a likely cache miss).

The geometry index
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

Versions
    RoutingVersion.territory and RoutingVersion.rules are bumped by the importer and by
    the services layer. ``route()`` reads them at most every
    ``settings.ROUTING_VERSION_CHECK_SECONDS`` (1 s by default) and rebuilds the geometry
    index when the territory changed, or only the rule tables when the rules changed.
    Callers that must see their own writes at once (the HTTP API, the CLI) call
    ``get_router(refresh=True)``. A router built inside a transaction is only trusted
    again outside it once that transaction committed, since a rollback takes its data
    (and the version it read) back; and a flush or migration (post_migrate) drops it.

Forked workers
    Under ``gunicorn --preload``, socle/wsgi.py calls ``preload_router()`` in the master:
    it builds the index (prepared geometries included, warmed so that GEOS builds its
    point locators before the fork), closes the database connections the workers must
    not share, then calls ``gc.freeze()``, which moves every object to a permanent
    generation the collector never walks, so garbage collection in a worker does not
    write to (and so unshare) the pages of the index. The workers then share it
    copy-on-write, and only rebuild on a version change. Without --preload, each worker
    builds its own (about 10 s and 200 MB for the whole of France).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import logging
import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import shapely
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import post_migrate
from django.utils.translation import gettext as _

from socle.membres.models import Membre, Service
from socle.territoires.models import (
    Collectivite,
    CommuneGeometry,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
    RoutingVersion,
)

logger = logging.getLogger(__name__)

# Cells per degree: a power of two keeps floor(coordinate * CELLS_PER_DEGREE) exact.
CELLS_PER_DEGREE = 256
# Segments count for every cell they come within this fraction of a cell of.
CELL_MARGIN = 1e-6
NEAREST_MAX_KM = 20.0
KM_PER_DEGREE = 111.195  # on the mean Earth radius, 6371 km
DEFAULT_VERSION_CHECK_SECONDS = 1.0
# Communes rasterised at once: bounds the temporary arrays of a build.
RASTER_CHUNK = 4000
POINT_CHUNK = 200_000

COMMUNE = str(Collectivite.Kind.COMMUNE)
EPCI = str(Collectivite.Kind.EPCI)
DEPARTEMENT = str(Collectivite.Kind.DEPARTEMENT)
REGION = str(Collectivite.Kind.REGION)

# Result statuses.
OK = "ok"
HORS_FRANCE = "hors_france"
HORS_COMMUNE = "hors_commune"

# Why the holder holds the competence.
REASON_OVERRIDE = "override"
REASON_TRANSFER = "transfert"
REASON_LAW = "loi"
REASON_DEFAULT = "defaut"

# How the service was chosen, or why there is none.
SERVICE_SECTOR = "secteur"
SERVICE_GENERAL = "general"
SERVICE_OUT_OF_SECTOR = "hors_secteur"
SERVICE_NONE = "aucun_service"
SERVICE_NOT_MEMBER = "non_membre"

_NOT_COMPUTED = np.iinfo(np.int32).min


def reason_label(reason: str) -> str:
    """Explain a reason code in French."""
    labels = {
        REASON_OVERRIDE: _("Exception définie pour cette commune."),
        REASON_TRANSFER: _("Transfert (ou non) de la compétence décidé par l'intercommunalité."),
        REASON_LAW: _("Compétence exercée de droit par ce type d'intercommunalité."),
        REASON_DEFAULT: _("Niveau qui exerce cette compétence par défaut."),
    }
    return labels.get(reason, reason)


def service_reason_label(reason: str) -> str:
    """Explain how the service was chosen, or why there is none, in French."""
    labels = {
        SERVICE_SECTOR: _("Service dont le secteur contient le point."),
        SERVICE_GENERAL: _("Service chargé de cette compétence sur tout le territoire."),
        SERVICE_OUT_OF_SECTOR: _("Aucun secteur de service ne contient ce point."),
        SERVICE_NONE: _("Le membre n'a pas de service pour cette compétence."),
        SERVICE_NOT_MEMBER: _("La collectivité n'est pas membre : voici son contact public."),
    }
    return labels.get(reason, reason)


class RoutingError(Exception):
    """An error of the caller's input, with a stable code, a French message and details."""

    code = "erreur"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidCoordinates(RoutingError):
    """Latitude or longitude missing, not a number, or out of range."""

    code = "coordonnees_invalides"


class MissingParameter(RoutingError):
    """A required parameter (lat, lon, competence) not given."""

    code = "parametre_manquant"


class UnknownCompetence(RoutingError):
    """A competence code the catalogue does not have; carries the valid codes."""

    code = "competence_inconnue"

    def __init__(self, competence: str, valid_codes: Sequence[str]) -> None:
        self.competence = competence
        self.valid_codes = list(valid_codes)
        super().__init__(
            _("Compétence inconnue : « %(code)s ».") % {"code": competence},
            {"competence": competence, "competences_valides": self.valid_codes},
        )


# --- Results -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CollectiviteRef:
    """A collectivité as routing names it."""

    kind: str
    code: str
    nom: str

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {"kind": self.kind, "code": self.code, "nom": self.nom}


@dataclass(frozen=True, slots=True)
class CompetenceRef:
    """A competence of the catalogue."""

    code: str
    nom: str

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {"code": self.code, "nom": self.nom}


@dataclass(frozen=True, slots=True)
class Holder:
    """The collectivité that holds a competence, and whether (as which member) it is ours."""

    kind: str
    code: str
    nom: str
    member: bool
    slug: str | None

    def __str__(self) -> str:
        return self.nom

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data; slug only for members."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "code": self.code,
            "nom": self.nom,
            "member": self.member,
        }
        if self.member:
            data["slug"] = self.slug
        return data


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """A member's service, as given to whoever reports something."""

    id: int
    nom: str
    email: str
    telephone: str
    secteur: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {
            "id": self.id,
            "nom": self.nom,
            "email": self.email,
            "telephone": self.telephone,
            "secteur": self.secteur,
        }


@dataclass(frozen=True, slots=True)
class Contact:
    """A mairie's public contact; point_entree when it stands in for a higher holder."""

    collectivite: CollectiviteRef
    point_entree: bool
    adresse: str
    telephone: str
    email: str
    site_web: str
    # [[first_day, last_day, [[opens, closes], ...]], ...], kept as JSON text to stay small.
    horaires_json: str

    @property
    def horaires(self) -> list[Any]:
        """Return the opening hours as the Annuaire de l'administration gives them."""
        return json.loads(self.horaires_json) if self.horaires_json else []

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {
            "collectivite": self.collectivite.to_dict(),
            "point_entree": self.point_entree,
            "adresse": self.adresse,
            "telephone": self.telephone,
            "email": self.email,
            "site_web": self.site_web,
            "horaires": self.horaires,
        }


@dataclass(frozen=True, slots=True)
class Nearest:
    """The commune nearest to a point that lies in none."""

    code: str
    nom: str
    distance_km: float

    def to_dict(self) -> dict[str, Any]:
        """Return it as JSON-ready data."""
        return {"code": self.code, "nom": self.nom, "distance_km": self.distance_km}


class Answer(NamedTuple):
    """What routing answers in a commune for a competence, wherever the point in it.

    A named tuple rather than a dataclass: one is made on each commune's first route().
    """

    commune: CollectiviteRef
    holder: Holder
    reason: str
    # The holder's public contact, when it is not a member.
    contact: Contact | None
    # The member's services for this competence, when some have a sector.
    sectors: ServiceChoice | None
    # Otherwise, the service for every point of the commune (or None), and why.
    service: ServiceRef | None
    service_reason: str


@dataclass(frozen=True, slots=True)
class RoutingResult:
    """Where a point lies, who holds the competence there and whom to contact."""

    status: str
    lat: float
    lon: float
    competence: CompetenceRef
    # Shared by every point of the commune: one reference keeps route() cheap.
    answer: Answer | None = None
    service: ServiceRef | None = None
    service_reason: str | None = None
    nearest: Nearest | None = None

    @property
    def found(self) -> bool:
        """Say whether the point lies in a commune."""
        return self.status == OK

    @property
    def commune(self) -> CollectiviteRef | None:
        """Return the commune where the point lies."""
        return self.answer.commune if self.answer else None

    @property
    def holder(self) -> Holder | None:
        """Return the collectivité holding the competence there."""
        return self.answer.holder if self.answer else None

    @property
    def reason(self) -> str | None:
        """Return why it holds it (override, transfert, loi, defaut)."""
        return self.answer.reason if self.answer else None

    @property
    def contact(self) -> Contact | None:
        """Return the holder's public contact, when it is not a member."""
        return self.answer.contact if self.answer else None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data, the query echoed."""
        commune = self.commune
        data: dict[str, Any] = {
            "status": self.status,
            "query": {"lat": self.lat, "lon": self.lon, "competence": self.competence.code},
            "competence": self.competence.to_dict(),
            "commune": {"code": commune.code, "nom": commune.nom} if commune else None,
        }
        if self.answer is None:
            data["nearest"] = self.nearest.to_dict() if self.nearest else None
            return data
        answer = self.answer
        data["holder"] = {
            "collectivite": answer.holder.to_dict(),
            "reason": answer.reason,
            "explication": reason_label(answer.reason),
        }
        data["service"] = self.service.to_dict() if self.service else None
        data["service_reason"] = self.service_reason
        data["contact"] = answer.contact.to_dict() if answer.contact else None
        return data


# --- Competence resolution (pure) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class CommuneRow:
    """What competence resolution needs to know of a commune."""

    id: int
    code: str
    nom: str
    epci_id: int | None
    epci_type: str
    departement_id: int | None
    region_id: int | None


@dataclass(frozen=True, slots=True)
class CompetenceRule:
    """A competence of the catalogue and its default holders."""

    id: int
    code: str
    nom: str
    default_level: str
    epci_types: frozenset[str]
    ref: CompetenceRef
    # Where its answers are cached in a router.
    position: int = 0


def resolve(
    commune: CommuneRow,
    competence: CompetenceRule,
    transfers: Mapping[tuple[int, int], bool],
    overrides: Mapping[tuple[int, int], int],
) -> tuple[int, str]:
    """Return the id of the collectivité holding the competence for the commune, and why."""
    holder = overrides.get((commune.id, competence.id))
    if holder is not None:
        return holder, REASON_OVERRIDE
    epci = commune.epci_id
    level = competence.default_level
    if epci is not None:
        transferred = transfers.get((epci, competence.id))
        if transferred is True:
            return epci, REASON_TRANSFER
        if transferred is False:
            # The EPCI explicitly does not hold it: what it would have held stays communal.
            if level == DEPARTEMENT and commune.departement_id is not None:
                return commune.departement_id, REASON_DEFAULT
            if level == REGION and commune.region_id is not None:
                return commune.region_id, REASON_DEFAULT
            return commune.id, REASON_TRANSFER
        if commune.epci_type in competence.epci_types:
            return epci, REASON_LAW
        if level == EPCI:
            return epci, REASON_DEFAULT
    if level == DEPARTEMENT and commune.departement_id is not None:
        return commune.departement_id, REASON_DEFAULT
    if level == REGION and commune.region_id is not None:
        return commune.region_id, REASON_DEFAULT
    return commune.id, REASON_DEFAULT


# --- The geometry index --------------------------------------------------------------


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


# --- Tables and the router -----------------------------------------------------------


def _transaction_marker() -> object | None:
    """Return the outermost atomic block of the default connection, if in one."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and connection.atomic_blocks:
        return connection.atomic_blocks[0]
    return None


class _Versioned:
    """Something built from the database at a version, maybe inside a transaction."""

    version: int
    marker: object | None

    def _mark(self) -> None:
        """Remember the transaction this was built in, until it commits."""
        self.marker = _transaction_marker()
        if self.marker is not None:
            transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self.marker = None

    def trusted(self, version: int) -> bool:
        """Say whether this still reflects the database at this version."""
        return self.version == version and (
            self.marker is None or self.marker is _transaction_marker()
        )


class Territory(_Versioned):
    """The collectivités, the communes' mairies and the geometry index."""

    def __init__(self, version: int) -> None:
        self.version = version
        self._mark()
        started = time.perf_counter()
        self.collectivites: dict[int, CollectiviteRef] = {}
        epci_types: dict[int, str] = {}
        rows = Collectivite.objects.filter(active=True).values_list(
            "id", "kind", "code", "nom", "epci_type", "epci_id", "departement_id", "region_id"
        )
        parents: dict[int, tuple[int | None, int | None, int | None]] = {}
        # The stubs type values_list()'s nullable foreign keys as int.
        epci_id: int | None
        departement_id: int | None
        region_id: int | None
        for pk, kind, code, nom, epci_type, epci_id, departement_id, region_id in rows.iterator(
            chunk_size=5000
        ):
            self.collectivites[pk] = CollectiviteRef(kind, code, nom)
            if kind == EPCI:
                epci_types[pk] = epci_type
            elif kind == COMMUNE:
                parents[pk] = (epci_id, departement_id, region_id)

        # Built once here rather than on each commune's first route(): fewer objects to
        # create (and cache-miss on) per call, and shared by forked workers.
        self.holders = {
            pk: Holder(ref.kind, ref.code, ref.nom, False, None)
            for pk, ref in self.collectivites.items()
        }
        # Each commune's mairie, as its own contact and as the way in to a higher holder.
        self.contacts: dict[int, tuple[Contact, Contact]] = {}
        mairies = Collectivite.objects.filter(kind=COMMUNE, active=True).values_list(
            "id", "adresse", "telephone", "email", "site_web", "horaires"
        )
        for pk, adresse, telephone, email, site_web, horaires in mairies.iterator(chunk_size=5000):
            text = json.dumps(horaires, ensure_ascii=False, separators=(",", ":"))
            fields = (adresse, telephone, email, site_web, text if horaires else "")
            ref = self.collectivites[pk]
            self.contacts[pk] = (Contact(ref, False, *fields), Contact(ref, True, *fields))

        geometries = (
            CommuneGeometry.objects.filter(commune__active=True, commune__kind=COMMUNE)
            .order_by("commune__code", "commune_id")
            .values_list("commune_id", "wkb", "min_lon", "min_lat", "max_lon", "max_lat")
        )
        ids: list[int] = []
        blobs: list[bytes] = []
        centres: list[tuple[float, float]] = []
        for pk, wkb, min_lon, min_lat, max_lon, max_lat in geometries.iterator(chunk_size=2000):
            ids.append(pk)
            blobs.append(bytes(wkb))
            centres.append(((min_lon + max_lon) / 2, (min_lat + max_lat) / 2))
        # Parse in spatial order, so that neighbours' geometries are allocated side by side.
        order = spatial_order(np.array(centres, dtype=float).reshape(-1, 2))
        geoms = np.empty(len(blobs), dtype=object)
        if blobs:
            geoms[order] = shapely.from_wkb([blobs[i] for i in order], on_invalid="ignore")
        del blobs, centres
        usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if not usable.all():
            logger.warning("Routing: %d unreadable commune boundaries skipped.", (~usable).sum())
            ids = [pk for pk, keep in zip(ids, usable.tolist(), strict=True) if keep]
            geoms = geoms[usable]

        self.communes: list[CommuneRow] = []
        for pk in ids:
            epci_id, departement_id, region_id = parents[pk]
            ref = self.collectivites[pk]
            self.communes.append(
                CommuneRow(
                    pk,
                    ref.code,
                    ref.nom,
                    epci_id,
                    epci_types.get(epci_id, "") if epci_id is not None else "",
                    departement_id,
                    region_id,
                )
            )
        self.refs = [self.collectivites[pk] for pk in ids]
        self.index = GeometryIndex([row.code for row in self.communes], geoms)
        self.seconds = time.perf_counter() - started
        logger.info(
            "Routing index built: %d communes, %d zones, %.1f s.",
            len(ids),
            len(self.index.zones),
            self.seconds,
        )


@dataclass(slots=True)
class ServiceChoice:
    """The services of a member for one competence, sectors tested first."""

    sectored: list[ServiceRef] = field(default_factory=list)
    sectors: np.ndarray | None = None
    general: ServiceRef | None = None


class Rules(_Versioned):
    """Competences, transfers, overrides, members and services, as plain tables."""

    def __init__(self, version: int) -> None:
        self.version = version
        self._mark()
        self.competences: dict[str, CompetenceRule] = {}
        self.competences_by_id: dict[int, CompetenceRule] = {}
        rows = Competence.objects.order_by("code").values_list(
            "id", "code", "nom", "default_level", "epci_types"
        )
        for position, (pk, code, nom, level, epci_types) in enumerate(rows):
            rule = CompetenceRule(
                pk,
                code,
                nom,
                level,
                frozenset(epci_types or ()),
                CompetenceRef(code, nom),
                position,
            )
            self.competences[code] = rule
            self.competences_by_id[pk] = rule
        self.codes = list(self.competences)
        self.transfers: dict[tuple[int, int], bool] = {
            (epci, competence): transferred
            for epci, competence, transferred in CompetenceTransfer.objects.values_list(
                "epci_id", "competence_id", "transferred"
            )
        }
        self.overrides: dict[tuple[int, int], int] = {
            (commune, competence): holder
            for commune, competence, holder in CompetenceOverride.objects.values_list(
                "commune_id", "competence_id", "holder_id"
            )
        }
        # Override holders the territory may not list (an inactive collectivité).
        self.extra: dict[int, CollectiviteRef] = {
            pk: CollectiviteRef(kind, code, nom)
            for pk, kind, code, nom in Collectivite.objects.filter(
                pk__in=set(self.overrides.values()), active=False
            ).values_list("id", "kind", "code", "nom")
        }
        self.members: dict[int, tuple[int, str]] = {
            collectivite: (pk, slug)
            for pk, collectivite, slug in Membre.objects.filter(active=True).values_list(
                "id", "collectivite_id", "slug"
            )
        }
        member_ids = [pk for pk, _slug in self.members.values()]
        self.services: dict[tuple[int, int], ServiceChoice] = {}
        handled = Service.competences.through.objects.filter(
            service__membre__in=member_ids
        ).values_list("service_id", "competence_id")
        competences_of: dict[int, list[int]] = {}
        for service, competence in handled:
            competences_of.setdefault(service, []).append(competence)
        services = (
            Service.objects.filter(membre__in=member_ids)
            .order_by("id")
            .values_list(
                "id", "membre_id", "nom", "email", "telephone", "secteur_nom", "secteur_wkb"
            )
        )
        sectors: dict[tuple[int, int], list[Any]] = {}
        for pk, membre, nom, email, telephone, secteur_nom, secteur_wkb in services:
            sector = self._sector(pk, secteur_wkb)
            label = (secteur_nom or None) if sector is not None else None
            ref = ServiceRef(pk, nom, email, telephone, label)
            for competence in competences_of.get(pk, []):
                choice = self.services.setdefault((membre, competence), ServiceChoice())
                if sector is not None:
                    choice.sectored.append(ref)
                    sectors.setdefault((membre, competence), []).append(sector)
                elif choice.general is None:
                    choice.general = ref
        for key, geometries in sectors.items():
            self.services[key].sectors = np.array(geometries, dtype=object)

    @staticmethod
    def _sector(pk: int, wkb: Any) -> Any:
        """Return a service's prepared sector, None when it has none (or an unreadable one)."""
        if not wkb:
            return None
        try:
            geometry = shapely.from_wkb(bytes(wkb))
        except shapely.errors.GEOSException:
            logger.warning("Routing: service %d has an unreadable sector, ignored.", pk)
            return None
        if geometry is None or geometry.is_empty:
            return None
        shapely.prepare(geometry)
        return geometry


class Router:
    """Answers route() from a territory and rules, caching each commune's answers."""

    def __init__(self, territory: Territory, rules: Rules, check_after: float) -> None:
        self.territory = territory
        self.rules = rules
        self.check_after = check_after
        # answers[competence position][commune index], filled on first use.
        count = len(territory.communes)
        self._answers: list[list[Answer | None]] = [[None] * count for _ in rules.codes]
        self._holders: dict[int, Holder] = {}
        for pk, (_membre, slug) in rules.members.items():
            ref = territory.collectivites.get(pk) or rules.extra.get(pk)
            if ref is not None:
                self._holders[pk] = Holder(ref.kind, ref.code, ref.nom, True, slug)

    def route(self, lat: float, lon: float, competence: str) -> RoutingResult:
        """Route a valid point and a competence code."""
        rule = self.rules.competences.get(competence)
        if rule is None:
            raise UnknownCompetence(competence, self.rules.codes)
        found = self.territory.index.locate(lon, lat)
        if found < 0:
            return self._outside(lat, lon, rule, found)
        # Every object touched here costs a cache miss: keep them to a few.
        answers = self._answers[rule.position]
        answer = answers[found] or self._answer(found, rule)
        if answer.sectors is None:
            service, service_reason = answer.service, answer.service_reason
        else:
            service, service_reason = self._sector_service(answer, lon, lat)
        return RoutingResult(OK, lat, lon, rule.ref, answer, service, service_reason)

    def commune_at(self, lat: float, lon: float) -> str | None:
        """Return the INSEE code of the commune at a valid point, None when in none."""
        found = self.territory.index.locate(lon, lat)
        return self.territory.communes[found].code if found >= 0 else None

    def _outside(self, lat: float, lon: float, rule: CompetenceRule, found: int) -> RoutingResult:
        if found == -2:
            return RoutingResult(HORS_FRANCE, lat, lon, rule.ref)
        nearest = self.territory.index.nearest(lon, lat)
        near = None
        if nearest is not None:
            row = self.territory.communes[nearest[0]]
            near = Nearest(row.code, row.nom, nearest[1])
        return RoutingResult(HORS_COMMUNE, lat, lon, rule.ref, nearest=near)

    def _answer(self, found: int, rule: CompetenceRule) -> Answer:
        """Resolve the holder in a commune, and its services or contact; cache it."""
        rules = self.rules
        commune = self.territory.communes[found]
        holder_id, reason = resolve(commune, rule, rules.transfers, rules.overrides)
        territory = self.territory
        holder = (
            self._holders.get(holder_id)
            or territory.holders.get(holder_id)
            or self._holder(holder_id)
        )
        member = rules.members.get(holder_id)
        contact = sectors = service = None
        if member is not None:
            choice = rules.services.get((member[0], rule.id))
            if choice is None:
                service_reason = SERVICE_NONE
            elif choice.sectors is not None:
                sectors, service_reason = choice, SERVICE_SECTOR
            elif choice.general is not None:
                service, service_reason = choice.general, SERVICE_GENERAL
            else:
                service_reason = SERVICE_OUT_OF_SECTOR
        else:
            service_reason = SERVICE_NOT_MEMBER
        if service_reason in (SERVICE_NONE, SERVICE_NOT_MEMBER):
            # Nobody on the platform handles it: give the public contact instead. A commune
            # answers for itself; a higher holder through the point's mairie.
            if holder.kind == COMMUNE:
                mairie = territory.contacts.get(holder_id)
                contact = mairie[0] if mairie else self._contact(holder_id)
            else:
                contact = territory.contacts[commune.id][1]
        answer = Answer(
            territory.refs[found], holder, reason, contact, sectors, service, service_reason
        )
        self._answers[rule.position][found] = answer
        return answer

    def _holder(self, pk: int) -> Holder:
        """Name a holder the territory does not list (inactive, or deleted since)."""
        ref = self.rules.extra.get(pk) or CollectiviteRef("", "", "")
        holder = Holder(ref.kind, ref.code, ref.nom, False, None)
        self._holders[pk] = holder
        return holder

    def _contact(self, pk: int) -> Contact:
        """Contact a commune the territory does not list: its name, no mairie data."""
        ref = self.rules.extra.get(pk) or CollectiviteRef(COMMUNE, "", "")
        return Contact(ref, False, "", "", "", "", "")

    @staticmethod
    def _sector_service(answer: Answer, lon: float, lat: float) -> tuple[ServiceRef | None, str]:
        """Choose the service whose sector holds the point, else the one without a sector."""
        choice = answer.sectors
        assert choice is not None
        # Sectors are closed: a point on a sector's edge is in it.
        for i, inside in enumerate(shapely.intersects_xy(choice.sectors, lon, lat).tolist()):
            if inside:
                return choice.sectored[i], SERVICE_SECTOR
        if choice.general is not None:
            return choice.general, SERVICE_GENERAL
        return None, SERVICE_OUT_OF_SECTOR


_router: Router | None = None
_lock = threading.Lock()


def _read_versions() -> tuple[int, int]:
    """Return the (territory, rules) versions from the database."""
    row = RoutingVersion.objects.filter(pk=1).values_list("territory", "rules").first()
    return row if row is not None else (0, 0)


def _check_seconds() -> float:
    return float(getattr(settings, "ROUTING_VERSION_CHECK_SECONDS", DEFAULT_VERSION_CHECK_SECONDS))


def get_router(*, refresh: bool = False) -> Router:
    """Return the process's router, rebuilding what the versions say changed.

    The versions are read at most every ROUTING_VERSION_CHECK_SECONDS, or now with
    refresh, or on every call while the router was built in a transaction not yet
    committed. While a thread rebuilds, the others keep answering from the current router.
    """
    router = _router
    if (
        router is not None
        and not refresh
        and time.monotonic() < router.check_after
        # Built inside a transaction that may yet roll back: check every time until then.
        and router.territory.marker is None
        and router.rules.marker is None
    ):
        return router
    if router is not None and not _lock.acquire(blocking=False):
        return router
    if router is None:
        _lock.acquire()
    try:
        return _synchronise()
    finally:
        _lock.release()


def _synchronise() -> Router:
    """Compare the versions and rebuild what changed; the caller holds the lock."""
    global _router
    current = _router
    # Read the versions first: data changed after this read only makes the next check
    # rebuild again, never leaves newer versions on older data.
    territory_version, rules_version = _read_versions()
    check_after = time.monotonic() + _check_seconds()
    if current is not None and current.territory.trusted(territory_version):
        if current.rules.trusted(rules_version):
            current.check_after = check_after
            return current
        territory = current.territory
    else:
        territory = Territory(territory_version)
    _router = Router(territory, Rules(rules_version), check_after)
    return _router


def reset_router(**kwargs: Any) -> None:
    """Forget the process's router; the next call rebuilds it (tests, after a restore)."""
    global _router
    with _lock:
        _router = None


# A flush (between transactional tests) or a migration may empty and refill the tables
# with the same version numbers: forget what was read before.
post_migrate.connect(reset_router, dispatch_uid="socle.territoires.routing.reset_router")


def _release_free_memory() -> None:
    """Give the build's freed temporary arrays back to the system (glibc only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def preload_router() -> Router | None:
    """Build the router before forking workers, so they share it (gunicorn --preload)."""
    try:
        router = get_router(refresh=True)
    except DatabaseError:
        # A database not migrated yet must not keep the server from starting: each worker
        # will build its own router on first use instead.
        logger.warning("Routing index not preloaded: the database is not ready.", exc_info=True)
        return None
    finally:
        # Workers must open their own connections, not share the master's socket.
        connections.close_all()
    gc.collect()
    _release_free_memory()
    # Keep the collector from touching (and so unsharing) these objects' pages.
    gc.freeze()
    return router


def check_coordinates(lat: float, lon: float) -> None:
    """Raise InvalidCoordinates unless lat and lon are finite and in range."""
    if not -90.0 <= lat <= 90.0:
        raise InvalidCoordinates(
            _("La latitude doit être un nombre entre -90 et 90."), {"parametre": "lat"}
        )
    if not -180.0 <= lon <= 180.0:
        raise InvalidCoordinates(
            _("La longitude doit être un nombre entre -180 et 180."), {"parametre": "lon"}
        )


def parse_coordinate(value: str | None, name: str) -> float:
    """Parse a latitude ("lat") or longitude ("lon") given as text, in range."""
    label = _("La latitude") if name == "lat" else _("La longitude")
    if value is None or not value.strip():
        raise MissingParameter(
            _("%(label)s (paramètre « %(name)s ») est obligatoire.")
            % {"label": label, "name": name},
            {"parametre": name},
        )
    text = value.strip()
    try:
        # float() also takes "1_0", "nan" and "inf": only plain decimal numbers pass.
        number = float(text) if _is_decimal(text) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InvalidCoordinates(
            _(
                "%(label)s (paramètre « %(name)s ») doit être un nombre décimal, "
                "avec un point : « %(value)s » ne l'est pas."
            )
            % {"label": label, "name": name, "value": text[:50]},
            {"parametre": name, "valeur": text[:50]},
        )
    if name == "lat":
        check_coordinates(number, 0.0)
    else:
        check_coordinates(0.0, number)
    return number


def _is_decimal(text: str) -> bool:
    """Say whether text is a plain decimal number, maybe signed, maybe with an exponent."""
    body = text[1:] if text[:1] in "+-" else text
    mantissa, marker, exponent = body.lower().partition("e")
    if marker and not (exponent.lstrip("+-").isdigit() and len(exponent.lstrip("+-")) <= 3):
        return False
    whole, _point, decimals = mantissa.partition(".")
    digits = whole + decimals
    return bool(digits) and digits.isdigit() and digits.isascii()


def route(lat: float, lon: float, competence: str) -> RoutingResult:
    """Say who handles this competence at this point, and how to reach them."""
    check_coordinates(lat, lon)
    return get_router().route(lat, lon, competence)


def commune_at(lat: float, lon: float) -> str | None:
    """Return the INSEE code of the commune at this point, None when in none."""
    check_coordinates(lat, lon)
    return get_router().commune_at(lat, lon)


def resolve_holders(commune: Collectivite, competences: Sequence[Competence]) -> dict[int, Holder]:
    """Return who holds each competence in a commune, read from the database (for pages).

    A fixed number of queries, whatever the number of competences.
    """
    epci = commune.epci
    row = CommuneRow(
        commune.pk,
        commune.code,
        commune.nom,
        commune.epci_id,
        epci.epci_type if epci is not None else "",
        commune.departement_id,
        commune.region_id,
    )
    transfers = {
        (epci_id, competence_id): transferred
        for epci_id, competence_id, transferred in CompetenceTransfer.objects.filter(
            epci_id=commune.epci_id
        ).values_list("epci_id", "competence_id", "transferred")
    }
    overrides = {
        (commune_id, competence_id): holder_id
        for commune_id, competence_id, holder_id in CompetenceOverride.objects.filter(
            commune=commune
        ).values_list("commune_id", "competence_id", "holder_id")
    }
    holder_ids = {}
    for competence in competences:
        rule = CompetenceRule(
            competence.pk,
            competence.code,
            competence.nom,
            competence.default_level,
            frozenset(competence.epci_types or ()),
            CompetenceRef(competence.code, competence.nom),
        )
        holder_ids[competence.pk] = resolve(row, rule, transfers, overrides)[0]
    found = Collectivite.objects.in_bulk(set(holder_ids.values()))
    slugs = dict(
        Membre.objects.filter(collectivite_id__in=found, active=True).values_list(
            "collectivite_id", "slug"
        )
    )
    return {
        competence_id: Holder(
            found[pk].kind, found[pk].code, found[pk].nom, pk in slugs, slugs.get(pk)
        )
        for competence_id, pk in holder_ids.items()
    }


def resolve_holder(commune: Collectivite, competence: Competence) -> Holder:
    """Return who holds one competence in a commune, read from the database (for pages)."""
    return resolve_holders(commune, [competence])[competence.pk]
