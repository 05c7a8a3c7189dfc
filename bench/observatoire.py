"""Benchmark the observatory's search and similar projects on 100,000 projects; not a test.

    .venv/bin/python bench/observatoire.py [--projects 100000] [--rounds 5] [--similar 300]
        [--reload] [--only sqlite|postgresql] [--seed 42] [--detail] [--explain]

For SQLite (a file in var/bench-observatoire/) then PostgreSQL (a throwaway cluster on loopback
kept in var/pg-bench-observatoire, as bench/signalements.py does), each in its own process:
1. migrate, then load N generated projects (bench/observatoire_corpus.py: ten themes' kinds of
   projects, French sentences and a vocabulary of thousands of words, real communes of France
   as carriers with their population and position, ~120 real software): actors, software,
   projects and their software by bulk inserts, then `recherche.index_rebuild()` computes the
   documents in batches and writes the index. Kept between runs (same N and seed) unless
   --reload;
2. search: `recherche_projets` over a set of typical queries (words, a prefix, no words, with
   filters), every call with its facets and its page of 20 projects, against a plain
   `icontains` scan of the same data run side by side (each word `icontains` in title, summary
   or description, AND; the same filters; the count, the newest 20, counts by status and by
   département): p50, p99 and their ratios;
3. similar projects: `projets_similaires(limit=6)` for a sample of published projects, against
   a plain scan (the projects sharing its first theme whose title `icontains` the longest word
   of its title, newest 6): p50, p99 and their ratios;
4. near me: `projets_pres_de` (30 km, 20 projects) around random carriers (informative).
Everything runs in-process (no HTTP), after one warm-up pass. Targets on PostgreSQL: search
p99 < 50 ms, similar p99 < 100 ms (printed met/MISSED). Always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

CLUSTER = ROOT / "var" / "pg-bench-observatoire"
DATA_DIR = ROOT / "var" / "bench-observatoire"
SEARCH_P99_TARGET_MS = 50.0
SIMILAR_P99_TARGET_MS = 100.0
SLUG_PREFIX = "bench-"

# (q, filters): what people type in the observatory's search box, and what they click.
QUERIES: list[tuple[str, dict]] = [
    ("signalement voirie application", {}),
    ("écoles", {}),
    ("fibre optique", {}),
    ("open data", {}),
    ("cybersécurité", {}),
    ("conseillers numériques", {}),
    ("parapheur électronique", {}),
    ("télétravail des agents", {}),
    ("portail citoyen", {}),
    ("données", {}),
    ("prise de rendez-vous", {}),
    ("mutualisation", {}),
    ("sauvegarde rançongiciel", {}),
    ("QGIS", {}),
    ("Publik", {}),
    ("inclusion numérique seniors", {}),
    ("éclairage public", {}),
    ("budget participatif", {}),
    ("démarches en ligne", {}),
    ("archivage électronique", {}),
    ("réemploi ordinateurs", {}),
    ("tiers-lieu", {}),
    ("numérique", {}),
    ("application mobile", {}),
    ("signa", {}),
    ("dématérialisation des actes", {}),
    ("marchés publics", {}),
    ("", {}),
    ("", {"themes": ["inclusion"]}),
    ("", {"departement": "59"}),
    ("application", {"themes": ["services-usagers"]}),
    ("fibre", {"statuts": ["realise"]}),
    ("", {"tranche": "2000-10000", "themes": ["administration"]}),
    ("", {"logiciel": "publik"}),
    ("données", {"region": "75"}),
    ("signalement", {"departement": "33", "statuts": ["en_cours", "realise"]}),
    ("de la", {}),
    ('"voirie" OR NEAR(a b) -école*', {}),
]


def _since(started: float) -> float:
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


# ---- Load ---------------------------------------------------------------------------------------
def loaded(count: int, seed: int) -> bool:
    """Tell whether the database already holds this load (same count and seed)."""
    from django.db import connection

    from socle.observatoire.models import Projet

    marker = DATA_DIR / f"loaded-{connection.vendor}.json"
    if not marker.exists():
        return False
    wanted = {"projects": count, "seed": seed}
    if json.loads(marker.read_text()) != wanted:
        return False
    return Projet.objects.filter(slug__startswith=SLUG_PREFIX).count() == count


def load(count: int, seed: int) -> dict[str, float]:
    """Write `count` generated projects and index them; return the seconds of each step."""
    from django.db import connection, transaction
    from observatoire_corpus import Generator, all_software, communes

    from socle.observatoire import recherche
    from socle.observatoire.models import Acteur, Logiciel, Projet

    timings: dict[str, float] = {}
    marker = DATA_DIR / f"loaded-{connection.vendor}.json"
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    Projet.objects.all().delete()
    Acteur.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Logiciel.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    timings["clear"] = _since(started)

    started = time.perf_counter()
    generator = Generator(seed, communes())
    projects = [generator.project() for _ in range(count)]
    timings["generate"] = _since(started)

    from django.utils.text import slugify

    started = time.perf_counter()
    with transaction.atomic():
        software = {
            name: Logiciel(nom=name, slug=slugify(name)[:80] or f"{SLUG_PREFIX}{n}")
            for n, name in enumerate(all_software())
        }
        existing = {
            lg.slug: lg
            for lg in Logiciel.objects.filter(slug__in=[lg.slug for lg in software.values()])
        }
        new = [lg for lg in software.values() if lg.slug not in existing]
        Logiciel.objects.bulk_create(new, batch_size=500)
        by_slug = {
            lg.slug: lg
            for lg in Logiciel.objects.filter(slug__in=[lg.slug for lg in software.values()])
        }
        software_ids = {name: by_slug[lg.slug].pk for name, lg in software.items()}

        carriers = {project.commune.code: project.commune for project in projects}
        acteurs = [
            Acteur(
                kind=Acteur.Kind.COLLECTIVITE,
                nom=commune.nom,
                slug=f"{SLUG_PREFIX}{commune.code.lower()}",
                type_collectivite="commune",
                code_insee=commune.code,
                population=commune.population,
                departement_code=commune.departement,
                region_code=commune.region,
                latitude=commune.latitude,
                longitude=commune.longitude,
            )
            for commune in carriers.values()
        ]
        Acteur.objects.bulk_create(acteurs, batch_size=2000)
        acteur_ids = dict(
            Acteur.objects.filter(slug__startswith=SLUG_PREFIX).values_list("code_insee", "pk")
        )
        rows = []
        for number, project in enumerate(projects):
            commune = project.commune
            rows.append(
                Projet(
                    slug=f"{SLUG_PREFIX}{number}",
                    titre=project.titre,
                    resume=project.resume,
                    description=project.description,
                    themes=project.themes,
                    statut=project.statut,
                    etat=project.etat,
                    date_debut=project.date_debut,
                    savoir_faire=project.savoir_faire,
                    resultats=project.resultats,
                    enseignements=project.enseignements,
                    porteur_id=acteur_ids[commune.code],
                    publie_le=project.publie_le,
                    cree_le=project.cree_le,
                    modifie_le=project.publie_le or project.cree_le,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    population=commune.population,
                    type_collectivite="commune",
                    departement_code=commune.departement,
                    region_code=commune.region,
                )
            )
        Projet.objects.bulk_create(rows, batch_size=2000)
        projet_ids = dict(
            Projet.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "pk")
        )
        through = Projet.logiciels.through
        links = [
            through(projet_id=projet_ids[f"{SLUG_PREFIX}{number}"], logiciel_id=software_ids[name])
            for number, project in enumerate(projects)
            for name in project.logiciels
        ]
        through.objects.bulk_create(links, batch_size=5000)
    timings["insert"] = _since(started)

    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 20000 < 1000:
            print(f"    indexed {done}/{total} ({_since(started):.0f} s)", flush=True)

    with transaction.atomic():
        recherche.index_rebuild(batch_size=1000, progress=progress)
    timings["index"] = _since(started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE observatoire_projet")
            cursor.execute("VACUUM ANALYZE observatoire_recherche")
            cursor.execute("VACUUM ANALYZE observatoire_projet_logiciels")
    marker.write_text(json.dumps({"projects": count, "seed": seed}))
    return timings


# ---- The plain scan, side by side ---------------------------------------------------------------
def icontains_search(q: str, filters: dict) -> tuple[int, list, dict]:
    """The naive search: each typed word icontains in title/summary/description (AND)."""
    from django.db import connection
    from django.db.models import Count, Q

    from socle.observatoire.models import Projet

    rows = Projet.objects.filter(etat=Projet.Etat.PUBLIE)
    for word in q.split()[:12]:
        rows = rows.filter(
            Q(titre__icontains=word) | Q(resume__icontains=word) | Q(description__icontains=word)
        )
    themes = filters.get("themes") or []
    if themes:
        condition = Q()
        for code in themes:
            if connection.vendor == "postgresql":
                condition |= Q(themes__contains=[code])
            else:
                condition |= Q(themes__icontains=f'"{code}"')
        rows = rows.filter(condition)
    if filters.get("statuts"):
        rows = rows.filter(statut__in=filters["statuts"])
    if filters.get("departement"):
        rows = rows.filter(departement_code=filters["departement"])
    if filters.get("region"):
        rows = rows.filter(region_code=filters["region"])
    if filters.get("logiciel"):
        rows = rows.filter(logiciels__slug=filters["logiciel"])
    if filters.get("tranche"):
        from socle.observatoire.themes import TRANCHES

        low, high = next((lo, hi) for code, _l, lo, hi in TRANCHES if code == filters["tranche"])
        rows = rows.filter(population__gte=low)
        if high is not None:
            rows = rows.filter(population__lt=high)
    total = rows.count()
    page = list(rows.select_related("porteur").order_by("-publie_le", "-pk")[:20])
    facets = {
        "statuts": list(rows.values("statut").annotate(n=Count("pk")).order_by()),
        "departements": list(rows.values("departement_code").annotate(n=Count("pk")).order_by()),
    }
    return total, page, facets


def icontains_similar(projet) -> list:
    """The naive « similar »: same first theme, title icontains its longest title word."""
    from django.db import connection

    from socle.observatoire.models import Projet

    word = max(projet.titre.split(), key=len)
    theme = projet.themes[0] if projet.themes else ""
    rows = Projet.objects.filter(etat=Projet.Etat.PUBLIE, titre__icontains=word).exclude(
        pk=projet.pk
    )
    if theme:
        if connection.vendor == "postgresql":
            rows = rows.filter(themes__contains=[theme])
        else:
            rows = rows.filter(themes__icontains=f'"{theme}"')
    return list(rows.order_by("-publie_le")[:6])


# ---- Measures -----------------------------------------------------------------------------------
def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return _since(started) * 1000, result


def measure(rounds: int, similar_count: int, seed: int, detail: bool) -> dict:
    from socle.observatoire.models import Projet
    from socle.observatoire.recherche import projets_pres_de, recherche_projets
    from socle.observatoire.similaires import projets_similaires

    figures: dict = {"search": [], "search_plain": [], "similar": [], "similar_plain": []}
    figures["near"] = []
    per_query: dict[str, list[float]] = {}
    per_query_plain: dict[str, list[float]] = {}
    totals: dict[str, tuple[int, int]] = {}
    # Warm-up: one pass of everything (caches, plans).
    for q, filters in QUERIES:
        recherche_projets(q=q, **filters)
        icontains_search(q, filters)
    for number in range(rounds):
        order = list(QUERIES)
        random.Random(seed + number).shuffle(order)
        for q, filters in order:
            label = f"{q!r} {filters}" if filters else repr(q)
            ms, result = timed(recherche_projets, q=q, **filters)
            plain_ms, (plain_total, _page, _facets) = timed(icontains_search, q, filters)
            figures["search"].append(ms)
            figures["search_plain"].append(plain_ms)
            per_query.setdefault(label, []).append(ms)
            per_query_plain.setdefault(label, []).append(plain_ms)
            totals[label] = (result.total, plain_total)
    rng = random.Random(seed)
    published = list(
        Projet.objects.filter(etat=Projet.Etat.PUBLIE).order_by("pk").values_list("pk", flat=True)
    )
    sample = rng.sample(published, min(similar_count, len(published)))
    projets = {p.pk: p for p in Projet.objects.filter(pk__in=sample).select_related("porteur")}
    for pk in sample[:10]:  # warm-up
        projets_similaires(projet=projets[pk])
        icontains_similar(projets[pk])
    for pk in sample:
        projet = projets[pk]
        ms, _result = timed(projets_similaires, projet=projet, limit=6)
        plain_ms, _plain = timed(icontains_similar, projet)
        figures["similar"].append(ms)
        figures["similar_plain"].append(plain_ms)
        if projet.latitude is not None:
            near_ms, _near = timed(
                projets_pres_de,
                latitude=projet.latitude,
                longitude=projet.longitude,
                rayon_km=30,
                limit=20,
            )
            figures["near"].append(near_ms)
    if detail:
        print(f"    {'query':<70} {'p50 ms':>8} {'max ms':>8} {'plain p50':>10} {'found':>7}")
        for label, values in per_query.items():
            print(
                f"    {label[:70]:<70} {statistics.median(values):8.1f} {max(values):8.1f} "
                f"{statistics.median(per_query_plain[label]):10.1f} {totals[label][0]:7d}"
                f" (plain {totals[label][1]})"
            )
    return figures


def explain() -> None:
    """EXPLAIN ANALYZE the SQL of a few searches (PostgreSQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socle.observatoire.models import Projet
    from socle.observatoire.recherche import recherche_projets
    from socle.observatoire.similaires import projets_similaires

    calls = [
        ("numérique", lambda: recherche_projets(q="numérique")),
        (
            "signalement voirie application",
            lambda: recherche_projets(q="signalement voirie application"),
        ),
        ("no words", lambda: recherche_projets()),
        (
            "similar",
            lambda: projets_similaires(projet=Projet.objects.filter(etat="publie").first()),
        ),
    ]
    for label, call in calls:
        with CaptureQueriesContext(connection) as captured:
            call()
        print(f"\n=== {label}")
        for query in captured.captured_queries:
            sql = query["sql"]
            if "observatoire_recherche" not in sql:
                continue
            print(f"--- {query['time']} s: {sql[:400]}")
            with connection.cursor() as cursor:
                # As recherche.py runs its matching queries: through the GIN index.
                cursor.execute("SET enable_seqscan = off" if "@@" in sql else "SELECT 1")
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                for (plan_line,) in cursor.fetchall():
                    print(f"    {plan_line}")
                cursor.execute("RESET enable_seqscan")


def child(options: argparse.Namespace) -> int:
    """Run one database's load and measures; print them as JSON on the last line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from socle.observatoire.models import Projet

    vendor = connection.vendor
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"  [{vendor}] migrated in {_since(started):.1f} s", flush=True)
    timings: dict[str, float] = {}
    if options.reload or not loaded(options.projects, options.seed):
        print(f"  [{vendor}] loading {options.projects} projects…", flush=True)
        timings = load(options.projects, options.seed)
        print(f"  [{vendor}] loaded: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    else:
        print(f"  [{vendor}] load kept from an earlier run (--reload to redo it)")
    if options.explain and vendor == "postgresql":
        explain()
    published = Projet.objects.filter(etat=Projet.Etat.PUBLIE).count()
    print(f"  [{vendor}] measuring ({published} published)…", flush=True)
    figures = measure(options.rounds, options.similar, options.seed, options.detail)
    figures.update(
        vendor=vendor,
        published=published,
        timings=timings,
        load=os.getloadavg()[0],
        cpus=os.cpu_count(),
    )
    print("RESULT " + json.dumps(figures))
    return 0


# ---- Report -------------------------------------------------------------------------------------
def report(figures: dict) -> list[str]:
    lines = []
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[figures["vendor"]]
    timings = figures["timings"]
    load_text = (
        "kept from an earlier run"
        if not timings
        else ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    )
    lines.append(f"{name}: {figures['published']} published projects; load: {load_text}")
    lines.append(
        f"  (measured in-process, load average {figures['load']:.1f} on {figures['cpus']} CPUs "
        "at the end)"
    )
    for label, ours_key, plain_key in (
        ("search (with facets, page of 20)", "search", "search_plain"),
        ("similar projects (6)", "similar", "similar_plain"),
    ):
        ours, plain = figures[ours_key], figures[plain_key]
        p50, p99 = statistics.median(ours), percentile(ours, 0.99)
        plain50, plain99 = statistics.median(plain), percentile(plain, 0.99)
        lines.append(
            f"  {label:<34} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms   icontains scan p50 "
            f"{plain50:7.1f} ms  p99 {plain99:7.1f} ms   ratio p50 {p50 / plain50:5.2f}x  "
            f"p99 {p99 / plain99:5.2f}x  ({len(ours)} calls)"
        )
    near = figures["near"]
    if near:
        lines.append(
            f"  {'near me (30 km, 20)':<34} p50 {statistics.median(near):7.1f} ms  p99 "
            f"{percentile(near, 0.99):7.1f} ms   (informative, {len(near)} calls)"
        )
    if figures["vendor"] == "postgresql":
        search99 = percentile(figures["search"], 0.99)
        similar99 = percentile(figures["similar"], 0.99)
        for label, value, target in (
            ("search p99", search99, SEARCH_P99_TARGET_MS),
            ("similar p99", similar99, SIMILAR_P99_TARGET_MS),
        ):
            state = "met" if value < target else "MISSED"
            lines.append(f"  Target {label} < {target:.0f} ms: {state} ({value:.1f} ms)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the queries")
    parser.add_argument("--similar", type=int, default=300, help="projects asked for similar")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reload", action="store_true", help="load again even if loaded")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--detail", action="store_true", help="print each query's figures")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE (PostgreSQL)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options)

    from signalements import cluster_up

    from scripts.pgcluster import stop

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    arguments = [
        f"--projects={options.projects}",
        f"--rounds={options.rounds}",
        f"--similar={options.similar}",
        f"--seed={options.seed}",
        *(["--reload"] if options.reload else []),
        *(["--detail"] if options.detail else []),
        *(["--explain"] if options.explain else []),
    ]
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socle.settings",
        "DEBUG": "0",
        "SOCLE_DATA_DIR": str(DATA_DIR),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    base_env.pop("DATABASE_URL", None)
    results = []
    backends = [options.only] if options.only else ["sqlite", "postgresql"]
    for backend in backends:
        env = dict(base_env)
        if backend == "sqlite":
            env["SOCLE_SQLITE_PATH"] = str(DATA_DIR / "observatoire.sqlite3")
        else:
            env["DATABASE_URL"] = cluster_up(CLUSTER)
        print(f"{backend}:", flush=True)
        try:
            process = subprocess.run(
                [sys.executable, __file__, "--child", *arguments],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
        finally:
            if backend == "postgresql":
                stop(CLUSTER)
        result = None
        for line in process.stdout.splitlines():
            if line.startswith("RESULT "):
                result = json.loads(line[len("RESULT ") :])
            else:
                print(line)
        if result is None:
            print(f"  [{backend}] failed (exit {process.returncode})")
            continue
        results.append(result)
    print()
    for result in results:
        for line in report(result):
            print(line)
    print(f"\nCommand: .venv/bin/python bench/observatoire.py {' '.join(sys.argv[1:])}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
