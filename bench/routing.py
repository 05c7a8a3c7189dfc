"""Benchmark route() against PostGIS on the whole of France; not a test.

    .venv/bin/python bench/routing.py [--points 10000] [--seed 42]

Imports the whole of France into a fresh temporary SQLite database, loads the same
boundaries into a throwaway PostgreSQL/PostGIS cluster (GiST index), then routes the same
random points (drawn inside communes' bounding boxes) both ways: route() in process, and
one ST_Contains query per point over a persistent loopback connection. Prints latencies,
their ratio, the agreement on communes, the index's build time and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MEDIAN_US = 50.0
TARGET_INDEX_MB = 300.0
COMPETENCE = "voirie"
POSTGIS_QUERY = (
    "SELECT code FROM communes "
    "WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY code LIMIT 1"
)


def rss_mb(field: str = "VmRSS") -> float:
    """Return this process's resident memory (or its peak, VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def setup_django(data_dir: str) -> None:
    """Point Django at the temporary data directory and set it up."""
    os.environ["SOCLE_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "socle.settings"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def index_only(data_dir: str) -> None:
    """Build the router in a process that does nothing else; print its memory as JSON."""
    setup_django(data_dir)
    from socle.routage.routing import preload_router

    before = rss_mb()
    started = time.perf_counter()
    preload_router()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {"before": before, "after": rss_mb(), "peak": rss_mb("VmHWM"), "seconds": seconds}
        )
    )


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which this fraction of the (sorted) values lies."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def draw_points(count: int, seed: int) -> list[tuple[float, float]]:
    """Draw (lat, lon) points uniformly inside randomly chosen communes' bounding boxes."""
    from socle.territoires.models import CommuneGeometry

    boxes = list(
        CommuneGeometry.objects.filter(commune__active=True)
        .order_by("commune__code")
        .values_list("min_lon", "min_lat", "max_lon", "max_lat")
    )
    rng = random.Random(seed)
    points = []
    for _ in range(count):
        min_lon, min_lat, max_lon, max_lat = rng.choice(boxes)
        points.append((rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)))
    return points


def load_postgis(url: str) -> None:
    """Load the active communes' boundaries into a PostGIS table with a GiST index."""
    import psycopg

    from socle.territoires.models import CommuneGeometry

    rows = CommuneGeometry.objects.filter(commune__active=True).values_list("commune__code", "wkb")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        connection.execute("CREATE TEMPORARY TABLE staging (code text, wkb bytea)")
        with connection.cursor().copy("COPY staging (code, wkb) FROM STDIN") as copy:
            for code, wkb in rows.iterator(chunk_size=2000):
                copy.write_row((code, bytes(wkb)))
        connection.execute(
            "CREATE TABLE communes (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326))"
        )
        connection.execute(
            "INSERT INTO communes SELECT code, ST_Multi(ST_GeomFromWKB(wkb, 4326)) FROM staging"
        )
        connection.execute("CREATE INDEX communes_geom ON communes USING gist (geom)")
        connection.execute("ANALYZE communes")


def time_route(
    points: list[tuple[float, float]], warm_up: list[tuple[float, float]]
) -> tuple[list[float], list[str | None]]:
    """Route every point in process; return the latencies (µs) and the communes found."""
    from socle.routage.routing import route

    for lat, lon in warm_up:
        route(lat, lon, COMPETENCE)
    clock = time.perf_counter_ns
    latencies, communes = [], []
    for lat, lon in points:
        started = clock()
        result = route(lat, lon, COMPETENCE)
        latencies.append((clock() - started) / 1000)
        communes.append(result.commune.code if result.commune else None)
    return latencies, communes


def time_postgis(
    url: str, points: list[tuple[float, float]], warm_up: list[tuple[float, float]]
) -> tuple[list[float], list]:
    """Query PostGIS for every point; return the latencies (µs) and the communes found."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.cursor()
        for lat, lon in warm_up:  # the buffers and the prepared statement
            cursor.execute(POSTGIS_QUERY, (lon, lat), prepare=True)
            cursor.fetchone()
        clock = time.perf_counter_ns
        latencies, communes = [], []
        for lat, lon in points:
            started = clock()
            cursor.execute(POSTGIS_QUERY, (lon, lat), prepare=True)
            row = cursor.fetchone()
            latencies.append((clock() - started) / 1000)
            communes.append(row[0] if row else None)
    return latencies, communes


def explain(url: str, lat: float, lon: float, ours: str | None, theirs: str | None) -> str:
    """Say why routing and PostGIS disagree on a point."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        touching = [
            row[0]
            for row in connection.execute(
                "SELECT code FROM communes "
                "WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY code",
                (lon, lat),
            )
        ]
    if theirs is None and touching:
        return f"on the border of {', '.join(touching)}: in no interior, lowest code by our rule"
    return f"unexplained; communes touching the point: {touching or 'none'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--index-only", metavar="DATA_DIR", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.index_only:
        index_only(options.index_only)
        return

    sys.path.insert(0, str(ROOT))
    from scripts.pgcluster import start, stop

    with tempfile.TemporaryDirectory(prefix="socle-bench-") as data_dir:
        setup_django(data_dir)
        from django.core.management import call_command

        from socle.territoires.importer import import_territory

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        report = import_territory(departements=None)
        print(
            f"Import: {report.communes} communes, {report.epcis} EPCI "
            f"in {time.perf_counter() - started:.1f} s (SQLite, {data_dir})"
        )

        import gc

        from socle.routage import routing

        # Give the import's freed memory back first, so the difference is the index's.
        gc.collect()
        routing.cache._release_free_memory()
        before = rss_mb()
        started = time.perf_counter()
        router = routing.preload_router()
        assert router is not None
        build_seconds = time.perf_counter() - started
        in_process_mb = rss_mb() - before
        index = router.territory.index
        print(
            f"Index: {len(index.codes)} communes, {len(index.set_offsets) - 1} candidate sets, "
            f"grids {sum(zone.grid.nbytes for zone in index.zones) / 1e6:.1f} MB; "
            f"built in {build_seconds:.1f} s (geometry index alone {index.seconds:.1f} s)"
        )
        print(f"RSS before/after building, same process: {before:.0f} -> {rss_mb():.0f} MB")
        fresh = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--index-only", data_dir],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "LOG_LEVEL": "WARNING"},
            ).stdout
        )
        fresh_index_mb = fresh["after"] - fresh["before"]
        print(
            f"Fresh process building only the index: RSS {fresh['before']:.0f} MB (Django, "
            f"numpy, shapely) -> {fresh['after']:.0f} MB total, peak {fresh['peak']:.0f} MB; "
            f"index {fresh_index_mb:.0f} MB (in {fresh['seconds']:.1f} s)"
        )

        points = draw_points(options.points, options.seed)
        warm_up = draw_points(1000, options.seed + 1)
        # First pass: most points are the first of their commune, whose answer (holder,
        # reason, contact) is resolved then; second pass: the same points, answers cached.
        ours_us, ours = time_route(points, warm_up)
        again_us, _again = time_route(points, [])

        # Beside, not inside, the data directory: the postgres user must reach it.
        cluster = Path(tempfile.gettempdir()) / f"socle-bench-pg-{os.getpid()}"
        try:
            url = start(cluster)
            started = time.perf_counter()
            load_postgis(url)
            print(f"PostGIS: loaded with a GiST index in {time.perf_counter() - started:.1f} s")
            theirs_us, theirs = time_postgis(url, points, warm_up)
            theirs_again_us, _theirs_again = time_postgis(url, points, [])
            disagreements = [
                (point, mine, their)
                for point, mine, their in zip(points, ours, theirs, strict=True)
                if mine != their
            ]
            explanations = [
                explain(url, lat, lon, mine, their) for (lat, lon), mine, their in disagreements
            ]
        finally:
            stop(cluster)
            shutil.rmtree(cluster, ignore_errors=True)

        median_ours, median_theirs = statistics.median(ours_us), statistics.median(theirs_us)
        print(
            f"\n{len(points)} random points inside communes' bounding boxes (seed {options.seed})"
        )
        print(f"Load average while measuring: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        for label, values in (
            (f"route() in process ({COMPETENCE}), first pass", ours_us),
            (f"route() in process ({COMPETENCE}), second pass", again_us),
            ("PostGIS ST_Contains, prepared, loopback, first pass", theirs_us),
            ("PostGIS ST_Contains, prepared, loopback, second pass", theirs_again_us),
        ):
            print(
                f"{label}: median {statistics.median(values):.1f} µs, "
                f"p95 {percentile(values, 0.95):.1f} µs, mean {statistics.fmean(values):.1f} µs"
            )
        second = statistics.median(theirs_again_us) / statistics.median(again_us)
        print(
            f"Ratio of medians: PostGIS / route() = {median_theirs / median_ours:.1f}x "
            f"(first passes), {second:.1f}x (second passes)"
        )
        outside = sum(code is None for code in ours)
        print(
            f"Agreement: {len(points) - len(disagreements)} / {len(points)} points "
            f"({outside} in no commune for both, e.g. sea in a coastal commune's box)"
        )
        for ((lat, lon), mine, their), why in zip(disagreements, explanations, strict=True):
            print(f"  ({lat}, {lon}): route {mine}, PostGIS {their}: {why}")

        print()
        print(
            f"Target median < {TARGET_MEDIAN_US:.0f} µs: "
            f"{'met' if median_ours < TARGET_MEDIAN_US else 'NOT met'} ({median_ours:.1f} µs)"
        )
        worst = max(in_process_mb, fresh_index_mb)
        print(
            f"Target index < {TARGET_INDEX_MB:.0f} MB resident: "
            f"{'met' if worst < TARGET_INDEX_MB else 'NOT met'} "
            f"({in_process_mb:.0f} MB in process, {fresh_index_mb:.0f} MB in a fresh one)"
        )


if __name__ == "__main__":
    main()
