"""Benchmark the journal's page check against the full chain walk, at growing sizes; not a test.

    .venv/bin/python bench/journal.py [--sizes 10,10000,1000000]

Fills a fresh temporary SQLite database with a valid hash chain of N entries (written in bulk
with the journal's own hash function), then times, at each size, in the same process:
- `journal_verify()`: the full walk (`socle journal verify`), the baseline;
- `journal_verify_recent()`: what a journal page runs (checkpoint, then what follows), after
  one new entry.
Prints both, and the page check's cost at each size as a ratio to its cost at the smallest.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta

from routing import setup_django  # the same temporary SQLite set-up (bench/routing.py)


def fill(count: int, agent, citizen) -> None:
    """Append `count` valid entries to the chain, in bulk."""
    from django.utils import timezone

    from socle.journal.models import PersonalDataAccess
    from socle.journal.services import GENESIS_HASH, HASHED_FIELDS, compute_entry_hash

    last = PersonalDataAccess.objects.order_by("-id").values("id", "entry_hash").first()
    previous = last["entry_hash"] if last else GENESIS_HASH
    next_id = (last["id"] if last else 0) + 1
    start = timezone.now()
    batch = []
    for number in range(count):
        entry = PersonalDataAccess(
            id=next_id + number,
            created_at=start + timedelta(microseconds=number),
            agent=agent,
            citizen=citizen,
            membre=None,
            action="lecture",
            data="identité et coordonnées",
            channel="banc d'essai",
            purpose=f"accès n°{next_id + number}",
            ip=None,
            previous_hash=previous,
        )
        values = {name: getattr(entry, name) for name in HASHED_FIELDS}
        entry.entry_hash = compute_entry_hash(values, previous)
        previous = entry.entry_hash
        batch.append(entry)
        if len(batch) == 20_000:
            PersonalDataAccess.objects.bulk_create(batch)
            batch = []
    PersonalDataAccess.objects.bulk_create(batch)


def timed(function, repeat: int) -> float:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = function()
        durations.append(time.perf_counter() - start)
        assert report.ok, report.reason
    return statistics.median(durations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,10000,1000000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from socle.comptes.models import User
        from socle.journal.services import journal_record, journal_verify, journal_verify_recent

        agent = User.objects.create_user(email="agent@banc.example", password=None)
        citizen = User.objects.create_user(email="usager@banc.example", password=None)
        print(f"{'entries':>10} {'full walk':>12} {'page check':>12} {'page vs smallest':>18}")
        smallest = None
        filled = 0
        for size in sizes:
            fill(size - filled, agent, citizen)
            filled = size
            full = timed(journal_verify, repeat=1 if size > 100_000 else 5)

            def page_check():
                journal_record(
                    agent=agent,
                    citizen=citizen,
                    membre=None,
                    data="identité",
                    channel="banc",
                    purpose="nouvel accès",
                )
                return journal_verify_recent()

            page = timed(page_check, repeat=20)
            filled += 20
            smallest = smallest or page
            print(
                f"{size:>10} {full * 1000:>10.1f}ms {page * 1000:>10.2f}ms "
                f"{page / smallest:>17.2f}x"
            )


if __name__ == "__main__":
    main()
