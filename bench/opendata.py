"""Benchmark open data: validate and publish a 200,000-row délibérations file, serve its API;
not a test.

    .venv/bin/python bench/opendata.py [--rows 200000] [--seconds 8] [--warm-up 3]
        [--rounds 2] [--workers 3] [--clients 3] [--seed 42] [--explain]

1. write a realistic valid SCDL délibérations file (bench/deliberations.py; kept in
   var/bench-opendata/ between runs), after checking that a 100-row sample validates;
2. validation throughput (rows/s) of our path, `table_read` + `table_validate` (validata-table),
   against plain frictionless (`frictionless.validate(path, schema=…)`, the same file and the
   same schema descriptor, validata's custom checks aside) in the same run;
3. on a PostgreSQL cluster on loopback kept in var/pg-bench-opendata (socle demo's set-up, as
   bench/signalements.py does), `version_publish` of the file as a dataset of Bordeaux Métropole:
   the whole call (validation, then the file and the 200,000 rows written), then the same file
   published without validation (what writing the rows costs), each in rows/s;
4. the dataset's API under gunicorn --preload (production settings, DEBUG=0), loaded by
   closed-loop clients (bench/loadgen.py): first page, a filtered page (a frequent value, a
   rare one, a « contient »), a sorted page and a deep page, each against a bare Django JSON view
   (the floor): p50, p99, throughput, and their ratios to the floor's;
5. with --explain, EXPLAIN ANALYZE of the SQL each API query runs (captured in this process).

An API that does not answer yet (404) is reported as not measured. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import deliberations  # noqa: E402
from loadgen import Request, Result, fetch, measure  # noqa: E402
from signalements import (  # noqa: E402
    cluster_up,
    prepare_database,
    serve,
    server_environment,
    shutdown,
)

from scripts.pgcluster import free_port, stop  # noqa: E402

CLUSTER = ROOT / "var" / "pg-bench-opendata"
DATA_DIR = ROOT / "var" / "bench-opendata"
SCHEMA = "scdl/deliberations"
MEMBRE = "bordeaux-metropole"
JEU = "deliberations"
JEU_ECRITURE = "deliberations-ecriture"
PAGE_SIZE = 50
FLOOR = "floor: bare Django JSON view"


def _since(started: float) -> float:
    return time.perf_counter() - started


# ---- The file -----------------------------------------------------------------------------------
def data_file(rows: int, seed: int) -> Path:
    """Return the file of `rows` rows, written the first time (a sample validated first)."""
    from socle.opendata.schemas import schema_load
    from socle.opendata.validation import table_validate

    schema = schema_load(SCHEMA)
    assert schema is not None
    if schema.fields != deliberations.COLUMNS:
        raise SystemExit(f"bench/deliberations.py's columns are not {SCHEMA}'s: {schema.fields}")
    sample = table_validate(deliberations.csv_text(100, seed), schema)
    if not sample.valide:
        raise SystemExit("The generated sample does not validate:\n" + sample.texte())
    path = DATA_DIR / f"deliberations-{rows}-{seed}.csv"
    if not path.exists():
        started = time.perf_counter()
        deliberations.write(path, rows, seed)
        print(f"Wrote {path.relative_to(ROOT)} in {_since(started):.1f} s")
    print(
        f"File: {rows} rows, {path.stat().st_size / 1e6:.1f} MB "
        f"({path.relative_to(ROOT)}; a 100-row sample validates)"
    )
    return path


# ---- Validation ---------------------------------------------------------------------------------
def validate_ours(path: Path) -> tuple[float, int, bool, str]:
    """Return the seconds of table_read + table_validate, the rows counted, valid, the report."""
    from socle.opendata.reading import table_read
    from socle.opendata.schemas import schema_load
    from socle.opendata.validation import table_validate

    schema = schema_load(SCHEMA)
    assert schema is not None
    contenu = path.read_bytes()
    started = time.perf_counter()
    table = table_read(contenu, nom=path.name)
    rapport = table_validate(table.csv_text, schema)
    return _since(started), rapport.lignes, rapport.valide, rapport.texte()


def validate_frictionless(path: Path) -> tuple[float, int, bool, str]:
    """The same for plain frictionless, on the same file and schema descriptor."""
    import frictionless

    from socle.opendata.schemas import schema_load

    schema = schema_load(SCHEMA)
    assert schema is not None
    started = time.perf_counter()
    report = frictionless.validate(
        path.name,
        schema=frictionless.Schema.from_descriptor(schema.descriptor),
        basepath=str(path.parent),
    )
    seconds = _since(started)
    rows = report.tasks[0].stats.get("rows", 0) if report.tasks else 0
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    return seconds, int(rows or 0), report.valid, str(errors)


# ---- Publication --------------------------------------------------------------------------------
def jeu_fresh(slug: str, titre: str):
    """Delete the Métropole's dataset `slug` (its versions, rows and files), create it anew."""
    from socle.membres.models import Membre
    from socle.opendata.models import Jeu, Version
    from socle.opendata.services import jeu_create

    membre = Membre.objects.get(slug=MEMBRE)
    for version in Version.objects.filter(jeu__membre=membre, jeu__slug=slug):
        version.fichier.delete(save=False)
    Jeu.objects.filter(membre=membre, slug=slug).delete()
    return jeu_create(
        acting_user=None, membre=membre, titre=titre, schema=SCHEMA, slug=slug, frequence="monthly"
    )


def publish(path: Path, slug: str, titre: str, *, valider: bool) -> tuple[float, int]:
    """Publish the file as the first version of a fresh dataset; return seconds and rows."""
    from socle.opendata.services import version_publish

    jeu = jeu_fresh(slug, titre)
    contenu = path.read_bytes()
    started = time.perf_counter()
    version = version_publish(
        acting_user=None, jeu=jeu, contenu=contenu, nom=path.name, valider=valider
    )
    return _since(started), version.nb_lignes


def analyze() -> None:
    """VACUUM ANALYZE the rows' table (autovacuum would, soon after such an insert)."""
    from django.db import connection

    from socle.opendata.models import Ligne

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {Ligne._meta.db_table}")


# ---- The API's queries --------------------------------------------------------------------------
def api_scenarios(rows: int, seed: int) -> list[tuple[str, list[Request]]]:
    """Typical queries of the dataset's rows: (label, requests)."""
    rng = random.Random(seed + 1)
    base = f"/api/v1/donnees/{MEMBRE}/{JEU}/lignes"

    def get(**params) -> Request:
        return ("GET", f"{base}?{urlencode({**params, 'page_size': PAGE_SIZE})}", None, {})

    sample = list(deliberations.rows(min(rows, 5000), seed))
    codes = [code for code, _name, weight in deliberations.MATIERES if weight >= 3]
    ids = sorted({row[2] for row in sample})
    words = ["voirie", "subvention", "piscine", "emprunt", "marché", "Pasteur"]
    last_page = max(1, rows // PAGE_SIZE)
    return [
        (FLOOR, [("GET", "/bench/floor.json", None, {})]),
        ("first page", [get()]),
        (
            "filter, frequent value (?DELIB_MATIERE_CODE=)",
            [get(DELIB_MATIERE_CODE=code) for code in codes],
        ),
        (
            "filter, rare value (?DELIB_ID=, ~15 rows)",
            [get(DELIB_ID=value) for value in rng.sample(ids, min(200, len(ids)))],
        ),
        (
            "filter, contains (?DELIB_OBJET__contient=)",
            [get(DELIB_OBJET__contient=word) for word in words],
        ),
        ("sorted (?tri=-DELIB_DATE)", [get(tri="-DELIB_DATE")]),
        (
            "sorted and filtered (?COLL_NOM=&tri=-DELIB_DATE)",
            [get(COLL_NOM=nom, tri="-DELIB_DATE") for nom, *_ in deliberations.COLLECTIVITES],
        ),
        (
            f"deep page (?page={3 * last_page // 4}, offset {3 * rows // 4})",
            [get(page=3 * last_page // 4)],
        ),
        ("last page", [get(page=last_page)]),
    ]


def explain(scenarios: list[tuple[str, list[Request]]]) -> None:
    """Answer one request of each scenario in this process; EXPLAIN ANALYZE its SQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for label, requests in scenarios:
        if label == FLOOR:
            continue
        path = requests[0][1]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = _since(started) * 1000
        print(f"\n=== {label}: {path}\n    {response.status_code} in {elapsed:.1f} ms")
        if response.status_code == 404:
            continue
        for query in captured.captured_queries:
            sql = query["sql"]
            if "opendata_ligne" not in sql:
                continue
            print(f"--- {query['time']} s: {sql}")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                for (plan_line,) in cursor.fetchall():
                    print(f"    {plan_line}")


# ---- Report -------------------------------------------------------------------------------------
def line(label: str, result: Result | None, floor: Result | None, note: str = "") -> None:
    if result is None:
        print(f"{label:<52} not measured ({note})")
        return
    ratios = ""
    if floor is not None and result is not floor:
        ratios = (
            f"  p50 {result.p50 / floor.p50:5.1f}x, throughput "
            f"{result.throughput / floor.throughput:4.2f}x floor"
        )
    errors = f"  {result.errors} errors" if result.errors else ""
    print(
        f"{label:<52} p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms  "
        f"{result.throughput:7.1f} req/s{ratios}{errors}"
    )
    for sample in result.unexpected[:2]:
        print(f"    unexpected: {sample}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per load")
    parser.add_argument("--warm-up", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (workers)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of loads")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the API's SQL")
    options = parser.parse_args()
    clients = options.clients or options.workers
    figures: list[str] = []
    results: dict[str, Result] = {}
    missing: dict[str, str] = {}
    scenarios = api_scenarios(options.rows, options.seed)

    url = cluster_up(CLUSTER)
    server = None
    try:
        port = free_port()
        environment = server_environment(url, port, data_dir=DATA_DIR)
        os.environ.update(environment)
        import django

        django.setup()
        from django.db import connections

        path = data_file(options.rows, options.seed)

        print("Validating with validata-table (table_read + table_validate)…", flush=True)
        seconds, rows, valid, text = validate_ours(path)
        if not valid:
            print(text[:3000])
        ours = rows / seconds
        figures.append(
            f"{'validation, ours (table_read + table_validate)':<52} {seconds:6.1f} s  "
            f"{ours:8.0f} rows/s  ({rows} rows, {'valid' if valid else 'REFUSED'})"
        )
        print("Validating with plain frictionless…", flush=True)
        seconds, rows, valid, text = validate_frictionless(path)
        if not valid:
            print(text[:3000])
        plain = rows / seconds
        figures.append(
            f"{'validation, plain frictionless.validate':<52} {seconds:6.1f} s  "
            f"{plain:8.0f} rows/s  ({rows} rows, {'valid' if valid else 'REFUSED'}); "
            f"ours {plain / ours:.1f}x slower"
        )

        prepare_database()
        print("Publishing (version_publish, validation included)…", flush=True)
        seconds, rows = publish(path, JEU, "Délibérations (banc d'essai)", valider=True)
        figures.append(
            f"{'publication, whole version_publish':<52} {seconds:6.1f} s  "
            f"{rows / seconds:8.0f} rows/s  ({rows} rows)"
        )
        print("Publishing again without validation (rows written)…", flush=True)
        seconds, rows = publish(path, JEU_ECRITURE, "Délibérations (écriture)", valider=False)
        figures.append(
            f"{'publication without validation (rows written)':<52} {seconds:6.1f} s  "
            f"{rows / seconds:8.0f} rows/s  ({rows} rows)"
        )
        jeu_fresh(JEU_ECRITURE, "Délibérations (écriture)").delete()
        analyze()
        if options.explain:
            explain(scenarios)
        connections.close_all()

        started = time.perf_counter()
        server = serve(environment, port, options.workers, data_dir=DATA_DIR)
        print(f"gunicorn --preload, {options.workers} sync workers, up in {_since(started):.1f} s")
        available = []
        for label, requests in scenarios:
            status, body = fetch(port, requests[0])
            if status == 404:
                missing[label] = f"404: {requests[0][1].split('?')[0]} not there yet"
                continue
            if status != 200:
                print(f"  {label}: {status} {body[:300]!r}")
            available.append((label, requests))
        print(
            f"Load: {clients} closed-loop clients; {options.rounds} round(s) of every load, "
            f"each {options.warm_up:.0f} s warm-up then {options.seconds:.0f} s measured; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        for number in range(options.rounds):
            done = []
            for label, requests in available:
                result = measure(
                    port,
                    requests,
                    clients=clients,
                    seconds=options.seconds,
                    warm_up=options.warm_up,
                    seed=options.seed + number,
                )
                results.setdefault(label, Result()).add(result)
                done.append(f"{result.throughput:.0f}/s")
            print(f"  round {number + 1}: " + ", ".join(done), flush=True)
    finally:
        if server is not None:
            shutdown(server)
        from django.db import connections

        connections.close_all()
        stop(CLUSTER)

    print()
    for figure in figures:
        print(figure)
    print()
    floor = results.get(FLOOR)
    for label, _requests in scenarios:
        line(label, results.get(label), floor, missing.get(label, ""))
    print(f"\nCommand: .venv/bin/python bench/opendata.py {' '.join(sys.argv[1:])}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
