"""Time the import of all of France into a fresh SQLite database, against reading the files alone.

    .venv/bin/python bench/import_france.py

Prints the full import time, the bare cost of decoding the source (lzma, CSV, WKB: no
database), their ratio and whether the 60 s target is met, then times a second, idempotent
run and checks that it left the counts unchanged. Exits 1 when a check fails.
"""

from __future__ import annotations

import csv
import lzma
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
SOURCE_FILES = ["regions", "departements", "epci", "communes", "elus_municipaux"]
WKB_COLUMNS = {"geometry", "mairie_localisation"}


def main() -> int:
    """Run the benchmark and return the process exit status."""
    with tempfile.TemporaryDirectory(prefix="socle-bench-") as tmp:
        # A throwaway SQLite database, whatever the environment points at.
        os.environ["SOCLE_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "socle.settings"
        import django

        django.setup()
        from django.core.management import call_command

        from socle.territoires.importer import default_data_dir, import_territory

        call_command("migrate", verbosity=0)
        data_dir = default_data_dir()
        print(f"Source:    {data_dir}")
        print(f"Database:  {Path(tmp) / 'socle.sqlite3'} (SQLite, fresh)")
        print()

        baseline = time_baseline(data_dir)
        print(f"Baseline (decode the files, no database) {baseline:8.2f} s")

        first = import_territory(data_dir=data_dir)
        counts = database_counts()
        print(f"Full import of France (first run)        {first.seconds:8.2f} s")
        print(f"Ratio import / baseline                  {first.seconds / baseline:8.2f} x")
        meets = first.seconds < TARGET_SECONDS
        verdict = "yes" if meets else "NO"
        print(f"Meets the {TARGET_SECONDS:.0f} s target                     {verdict:>8}")

        second = import_territory(data_dir=data_dir)
        unchanged = database_counts() == counts and same_counts(first, second)
        print(f"Second run (idempotent update)           {second.seconds:8.2f} s")
        print(f"Counts unchanged after the second run    {'yes' if unchanged else 'NO':>8}")
        print()
        print_counts(counts)
        if not unchanged:
            print(f"First run:  {first}")
            print(f"Second run: {second}")
            print(f"Database after the second run: {database_counts()}")
        return 0 if meets and unchanged else 1


def time_baseline(data_dir: Path) -> float:
    """Return the seconds it takes to decompress, parse and decode every source file."""
    import shapely

    csv.field_size_limit(2**31 - 1)
    started = time.perf_counter()
    hexes: list[str] = []
    for name in SOURCE_FILES:
        with lzma.open(data_dir / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader)
            wanted = [i for i, column in enumerate(header) if column in WKB_COLUMNS]
            for row in reader:
                if wanted:
                    hexes.extend(row[i] for i in wanted if row[i] not in ("", "\\N"))
    shapely.from_wkb(hexes)
    return time.perf_counter() - started


def database_counts() -> dict[str, int]:
    """Count what the import produced."""
    from socle.territoires.models import Collectivite, CommuneGeometry, Elu

    counts = {kind: Collectivite.objects.filter(kind=kind).count() for kind in Collectivite.Kind}
    counts["active communes"] = Collectivite.objects.filter(kind="commune", active=True).count()
    counts["geometries"] = CommuneGeometry.objects.count()
    counts["elus"] = Elu.objects.count()
    return counts


def same_counts(first: object, second: object) -> bool:
    """Tell whether two import reports agree on everything but the time taken."""
    fields = ["regions", "departements", "epcis", "communes", "elus", "merged", "deactivated"]
    return all(getattr(first, name) == getattr(second, name) for name in fields)


def print_counts(counts: dict[str, int]) -> None:
    """Print the database counts, one per line."""
    print("Database counts:")
    for label, count in counts.items():
        print(f"  {label:<18} {count:>8}")


if __name__ == "__main__":
    sys.exit(main())
