"""Benchmark the reports' Open311 API and agent queue on 1,000,000 reports; not a test.

    .venv/bin/python bench/signalements.py [--reports 1000000] [--refill] [--seconds 8]
        [--warm-up 3] [--rounds 2] [--workers 3] [--clients 3] [--seed 42]

On a PostgreSQL cluster on loopback kept in var/pg-bench-signalements (reused between runs:
the fill is skipped when the table already holds the reports; `--refill` starts over):
1. migrate, import the Gironde, create the demo members (socle demo's set-up);
2. fill `signalements_signalement` with N reports by COPY: points inside Gironde communes
   (weighted by population), the seeded taxonomy, dates over two years, mostly closed, ~80 %
   public, collectivité/membre/service as routing sets them (each point of a pool routed once);
3. serve the project under gunicorn --preload (production settings, DEBUG=0) with a URLconf
   that adds a bare Django JSON view, /bench/floor.json (bench/signalements_urls.py);
4. load it with closed-loop clients (bench/loadgen.py, one process each) and print, for each of
   the floor, GET /open311/v2/requests.json with typical filters, POST of a report with an API
   key (routing included) and the agent queue page: p50, p99, throughput and its ratio to the
   floor's, then the targets (GET p99 < 50 ms and throughput >= 1/2 floor; POST >= 1/4 floor).

An endpoint that does not answer yet (404) is reported as not measured. Always exits 0; a
missed target prints MISSED.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import benchkit  # noqa: E402
from benchkit import (  # noqa: E402 - the cluster, server and report shared with other benches
    cluster_up,
    command_line,
    free_port,
    line,
    prepare_database,
    serve,
    session_open,
    shutdown,
    stop,
    verdict_p99,
    verdict_share,
)
from benchkit import since as _since  # noqa: E402
from loadgen import Request, Result, fetch, measure  # noqa: E402

CLUSTER = ROOT / "var" / "pg-bench-signalements"
DATA_DIR = ROOT / "var" / "bench-signalements"
METROPOLE = "243300316"
AGENT_EMAIL = "agent@bordeaux-metropole.socle.localhost"  # the demo's, Direction de la voirie
QUEUE_PATH = "/gestion/bordeaux-metropole/signalements/"
REQUESTS_PATH = "/open311/v2/requests.json"
GET_P99_TARGET_MS = 50.0
GET_FLOOR_SHARE = 0.5
POST_FLOOR_SHARE = 0.25
POOL_PER_COMMUNE = 128
FLOOR = "floor: bare Django JSON view"
GET = "GET requests.json (open potholes, window)"
GET_NEW = "GET requests.json, every query new (informative)"
QUEUE = "agent queue page"
POST = "POST requests.json (API key, routing)"

# Shares of the platform's categories among reports (others: 1 each).
CATEGORY_WEIGHTS = {
    "nid-de-poule": 20,
    "depot-sauvage": 15,
    "eclairage": 12,
    "trottoir": 8,
    "tag": 8,
    "salete": 7,
    "collecte": 7,
    "mobilier-casse": 5,
    "arbre-dangereux": 4,
    "espace-vert": 4,
    "fuite-eau": 3,
    "avaloir-bouche": 3,
    "signalisation": 3,
    "stationnement": 1,
}
DESCRIPTIONS = [
    "Trou profond sur la chaussée, dangereux pour les vélos.",
    "Lampadaire éteint depuis plusieurs soirs.",
    "Sacs de déchets et un matelas abandonnés sur le trottoir.",
    "Tag sur le mur de l'école, côté rue.",
    "Banc cassé dans le square, une planche manque.",
    "Branche cassée qui pend au-dessus du passage.",
    "Eau qui coule de la chaussée depuis ce matin.",
    "Grille d'égout bouchée, l'eau stagne après la pluie.",
    "Panneau stop tombé au carrefour.",
    "Conteneur à verre plein, bouteilles au sol.",
    "Trottoir défoncé devant le numéro 12, poussettes gênées.",
    "Herbe très haute sur l'aire de jeux.",
]
STREETS = ["rue de la République", "avenue Jean Jaurès", "place de l'Église", "rue Victor Hugo"]
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


# ---- The fill -----------------------------------------------------------------------------------
def commune_pools(rng: random.Random) -> tuple[list[str], list[float], dict[str, list]]:
    """Draw a pool of points inside each active Gironde commune; return the communes' codes,
    their weights (population) and their pools of (lat, lon)."""
    import numpy as np
    import shapely

    from socle.territoires.models import CommuneGeometry

    rows = CommuneGeometry.objects.filter(
        commune__active=True, commune__departement__code="33"
    ).values_list("commune__code", "commune__population", "wkb")
    codes, weights, pools = [], [], {}
    generator = np.random.default_rng(rng.randrange(2**32))
    for code, population, wkb in rows.order_by("commune__code"):
        shape = shapely.from_wkb(bytes(wkb))
        min_lon, min_lat, max_lon, max_lat = shape.bounds
        shapely.prepare(shape)
        points: list[tuple[float, float]] = []
        while len(points) < POOL_PER_COMMUNE:
            lons = generator.uniform(min_lon, max_lon, 4 * POOL_PER_COMMUNE)
            lats = generator.uniform(min_lat, max_lat, 4 * POOL_PER_COMMUNE)
            inside = shapely.contains_xy(shape, lons, lats)
            points.extend(zip(lats[inside].tolist(), lons[inside].tolist(), strict=True))
        codes.append(code)
        weights.append(max(population or 0, 100))
        pools[code] = points[:POOL_PER_COMMUNE]
    return codes, weights, pools


class Router:
    """Route (point, competence) as a report would be, each pair once, each placement once."""

    def __init__(self) -> None:
        self.routes: dict[tuple[float, float, str], tuple | None] = {}
        self.placements: dict[tuple, tuple | None] = {}
        self.calls = 0

    def place(self, lat: float, lon: float, competence: str) -> tuple | None:
        """Return (commune code, commune name, titulaire code and name, membre id, service id,
        contact JSON) or None where no report can be placed."""
        key = (lat, lon, competence)
        if key not in self.routes:
            self.routes[key] = self._place(lat, lon, competence)
        return self.routes[key]

    def _place(self, lat: float, lon: float, competence: str) -> tuple | None:
        from django.core.exceptions import ValidationError

        from socle.routage.routing import OK, route
        from socle.signalements.services import placement_for

        self.calls += 1
        result = route(lat, lon, competence)
        if result.status != OK or result.answer is None:
            return None
        service = result.service.id if result.service else None
        key = (result.answer.commune.code, result.answer.holder.code, service, competence)
        if key not in self.placements:
            try:
                placement = placement_for(lat=lat, lon=lon, competence=competence)
            except ValidationError:
                self.placements[key] = None
            else:
                self.placements[key] = (
                    placement.commune_code,
                    placement.commune_nom,
                    placement.titulaire_code,
                    placement.titulaire_nom,
                    placement.membre.pk if placement.membre else None,
                    placement.service.pk if placement.service else None,
                    json.dumps(placement.contact, ensure_ascii=False),
                )
        return self.placements[key]


def report_dates(rng: random.Random, now: datetime) -> dict:
    """Draw a report's life: creation over two years, then answer, closure, publication."""
    age = timedelta(seconds=rng.uniform(0, 730 * 86400))
    cree_le = now - age
    days = age.total_seconds() / 86400
    open_share = 0.6 if days < 14 else 0.25 if days < 90 else 0.05
    values: dict = {"cree_le": cree_le, "modifie_le": cree_le}
    is_open = rng.random() < open_share
    if is_open:
        statut = rng.choices(
            ["nouveau", "pris_en_compte", "programme", "en_cours"], [35, 30, 15, 20]
        )[0]
    else:
        statut = rng.choices(["resolu", "rejete", "doublon"], [85, 10, 5])[0]
    values["statut"] = statut
    if statut != "nouveau":
        first = min(now, cree_le + timedelta(hours=rng.expovariate(1 / 48)))
        values["premiere_reponse_le"] = values["modifie_le"] = first
    if not is_open:
        closed = min(now, values["modifie_le"] + timedelta(hours=rng.expovariate(1 / 360)))
        values["clos_le"] = values["modifie_le"] = closed
        if statut == "resolu":
            values["resolu_le"] = closed
    visibility = rng.random()
    if visibility < 0.98:  # confirmed by its reporter or posted by a client
        values["confirme_le"] = cree_le + timedelta(minutes=rng.uniform(0, 30))
        if visibility < 0.85:
            values["publie_le"] = values["confirme_le"]
        if 0.80 <= visibility < 0.85:
            values["masque_le"] = values["modifie_le"]
            values["motif_masquage"] = "Données personnelles dans la description"
    elif is_open:
        values["statut"] = "nouveau"
    return values


def fill(count: int, seed: int) -> None:
    """Write `count` reports with COPY, in one transaction, then VACUUM ANALYZE the table."""
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from socle.signalements.models import Categorie, Signalement

    rng = random.Random(seed)
    started = time.perf_counter()
    codes, weights, pools = commune_pools(rng)
    categories = list(
        Categorie.objects.filter(membre=None, active=True).select_related("competence")
    )
    category_weights = [CATEGORY_WEIGHTS.get(c.code, 1) for c in categories]
    print(f"  {len(codes)} communes, pools of {POOL_PER_COMMUNE} points, in {_since(started)}")

    fields = [f for f in Signalement._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        value = f.get_default()
        defaults[f.attname] = json.dumps(value) if isinstance(value, dict | list) else value
    router = Router()
    now = timezone.now()
    references: set[str] = set()
    retention = now - timedelta(days=365)
    database = settings.DATABASES["default"]
    url = (
        f"host={database['HOST']} port={database['PORT']} dbname={database['NAME']} "
        f"user={database['USER']}"
    )
    table = Signalement._meta.db_table
    with psycopg.connect(url) as connection:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                written = 0
                while written < count:
                    code = rng.choices(codes, weights)[0]
                    categorie = rng.choices(categories, category_weights)[0]
                    base_lat, base_lon = rng.choice(pools[code])
                    placed = router.place(base_lat, base_lon, categorie.competence.code)
                    if placed is None:
                        continue
                    commune, commune_nom, titulaire, titulaire_nom, membre, service, contact = (
                        placed
                    )
                    while (reference := "".join(rng.choices(REFERENCE_ALPHABET, k=8))) in (
                        references
                    ):
                        pass
                    references.add(reference)
                    row = dict(defaults)
                    row.update(report_dates(rng, now))
                    number = written + 1
                    row.update(
                        reference=reference,
                        categorie_id=categorie.pk,
                        categorie_nom=categorie.nom,
                        description=rng.choice(DESCRIPTIONS),
                        # Up to ~15 m away from the pool's point: reports are rarely at one spot.
                        lat=base_lat + rng.uniform(-0.00013, 0.00013),
                        lon=base_lon + rng.uniform(-0.00018, 0.00018),
                        adresse=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {commune_nom}",
                        position_approchee=rng.random() < 0.05,
                        commune_code=commune,
                        commune_nom=commune_nom,
                        titulaire_code=titulaire,
                        titulaire_nom=titulaire_nom,
                        membre_id=membre,
                        service_id=service,
                        contact=contact,
                        priorite=rng.choices([1, 2, 3], [10, 80, 10])[0],
                        source="open311" if rng.random() < 0.15 else "web",
                        auteur_email=f"usager{number}@example.org",
                        auteur_nom=f"Usager {number}",
                    )
                    clos_le = row.get("clos_le")
                    if clos_le is not None and clos_le < retention:
                        row.update(auteur_email="", auteur_nom="", anonymise_le=clos_le)
                    copy.write_row([row[f.attname] for f in fields])
                    written += 1
                    if written % 100_000 == 0:
                        print(f"  {written} reports written ({_since(started)})", flush=True)
        connection.commit()
        print(
            f"  {router.calls} points routed, {len(router.placements)} placements, "
            f"COPY done in {_since(started)}"
        )
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"VACUUM (ANALYZE) {table}")
    print(f"Filled {count} reports in {_since(started)} (COPY, then VACUUM ANALYZE)")


def fill_if_needed(count: int, refill: bool, seed: int) -> None:
    """Fill the table unless it already holds exactly `count` filled reports."""
    from socle.signalements.models import Signalement

    # Reports posted by an earlier run (through an API key) are not part of the fill.
    Signalement.objects.filter(cle_api__isnull=False).delete()
    present = Signalement.objects.count()
    if present == count and not refill:
        print(f"Fill skipped: the table already holds {present} reports (--refill to redo it)")
        return
    print(f"Filling {count} reports (the table held {present})…")
    fill(count, seed)


# ---- What the clients send ----------------------------------------------------------------------
def server_environment(url: str, port: int) -> dict[str, str]:
    """Return the production-like environment of this process and the server."""
    return benchkit.server_environment(url, port, data_dir=DATA_DIR)


def agent_session() -> str:
    """Open a session for the Métropole's road agent, second factor passed; return its key."""
    return session_open(AGENT_EMAIL)


def api_key() -> str:
    """Create a platform-wide Open311 key with the highest rate limit; return its plaintext."""
    from socle.api.services import MAX_RATE, api_key_create

    # As `socle open311 create-key` does: the platform itself acts.
    _key, plaintext = api_key_create(
        acting_user=None,
        membre=None,
        name=f"Banc d'essai {datetime.now().isoformat(timespec='seconds')}",  # noqa: DTZ005
        scopes=["signalements.open311"],
        rate_per_minute=MAX_RATE,
        application="bench/signalements.py",
    )
    return plaintext


def get_requests(
    rng: random.Random, now: datetime, *, count: int = 200, unique: bool = False
) -> list[Request]:
    """Typical Open311 queries: the Métropole's open potholes over a window of a week to the
    longest the API allows (89 days: 90 calendar days may span 90 days and an hour at a change
    of daylight saving time), mostly recent."""
    requests = []
    for number in range(count):
        end = now - timedelta(days=rng.choice([0, 0, 0, 7, 30, 90, 180, 365]))
        if unique:
            end -= timedelta(seconds=number)
        start_date = end - timedelta(days=rng.choice([7, 30, 89]))
        query = urlencode(
            {
                "jurisdiction_id": METROPOLE,
                "service_code": "nid-de-poule",
                "status": "open",
                "start_date": start_date.isoformat(timespec="seconds"),
                "end_date": end.isoformat(timespec="seconds"),
                "page_size": 50,
            }
        )
        requests.append(("GET", f"{REQUESTS_PATH}?{query}", None, {}))
    return requests


def post_requests(rng: random.Random, key: str, pools: list[tuple[float, float]]) -> list[Request]:
    """Potholes posted by a client application at points of the Métropole (routing decides)."""
    requests = []
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    for number in range(500):
        lat, lon = rng.choice(pools)
        body = urlencode(
            {
                "api_key": key,
                "service_code": "nid-de-poule",
                "lat": f"{lat:.6f}",
                "long": f"{lon:.6f}",
                "description": f"Nid-de-poule profond, roue abîmée (banc n°{number}).",
            }
        ).encode()
        requests.append(("POST", REQUESTS_PATH, body, headers))
    return requests


def metropole_points(rng: random.Random) -> list[tuple[float, float]]:
    """Points inside the Métropole's communes (from their mairies' coordinates, jittered)."""
    from socle.territoires.models import Collectivite

    mairies = Collectivite.objects.filter(
        kind=Collectivite.Kind.COMMUNE, epci__code=METROPOLE, latitude__isnull=False
    ).values_list("latitude", "longitude")
    return [
        (lat + rng.uniform(-0.002, 0.002), lon + rng.uniform(-0.002, 0.002))
        for lat, lon in mairies
        for _ in range(20)
    ]


# ---- The run ------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--refill", action="store_true", help="fill again even if already filled")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per load")
    parser.add_argument("--warm-up", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (workers)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of loads")
    parser.add_argument("--seed", type=int, default=42)
    options = parser.parse_args()
    clients = options.clients or options.workers
    results: dict[str, Result] = {}
    missing: dict[str, str] = {}

    url = cluster_up(CLUSTER)
    server = None
    try:
        port = free_port()
        environment = server_environment(url, port)
        os.environ.update(environment)
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        prepare_database()
        fill_if_needed(options.reports, options.refill, options.seed)
        rng = random.Random(options.seed + 1)
        now = timezone.localtime()
        key = api_key()
        cookie = {"Cookie": f"sessionid={agent_session()}"}
        scenarios: list[tuple[str, list[Request]]] = [
            (FLOOR, [("GET", "/bench/floor.json", None, {})]),
            (
                "routage API (informative)",
                [
                    ("GET", f"/api/v1/routage?lat={lat:.5f}&lon={lon:.5f}&competence=voirie", None)
                    + ({},)
                    for lat, lon in metropole_points(rng)[:200]
                ],
            ),
            (GET, get_requests(rng, now)),
            # The same queries, each asked once (its own end_date second): what a cache miss
            # costs, when no two clients ask the same thing.
            (GET_NEW, get_requests(rng, now, count=40000, unique=True)),
            (QUEUE, [("GET", QUEUE_PATH, None, cookie)]),
            (POST, post_requests(rng, key, metropole_points(rng))),
        ]
        connections.close_all()

        started = time.perf_counter()
        server = serve(environment, port, options.workers, data_dir=DATA_DIR)
        print(f"gunicorn --preload, {options.workers} sync workers, up in {_since(started)}")
        print(
            f"Load: {clients} closed-loop clients; {options.rounds} round(s) of every load, "
            f"each {options.warm_up:.0f} s warm-up then {options.seconds:.0f} s measured; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        available = []
        for label, requests in scenarios:
            status, body = fetch(port, requests[0])
            if status == 404:
                missing[label] = f"{requests[0][1].split('?')[0]} answers 404 (not there yet)"
                continue
            available.append((label, requests))
            if label == GET and status == 200:
                print(f"  first GET answers {len(json.loads(body))} requests (page_size 50)")
        # Rounds interleave the loads, so that a change in the machine's load (other processes)
        # weighs on every figure alike.
        for number in range(options.rounds):
            figures = []
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
                figures.append(f"{label.split()[0]} {result.throughput:.0f}/s")
            print(f"  round {number + 1}: " + ", ".join(figures), flush=True)
    finally:
        if server is not None:
            shutdown(server)
        try:
            from socle.signalements.models import Signalement

            posted = Signalement.objects.filter(cle_api__isnull=False).delete()[0]
            if posted:
                print(f"\n(removed the {posted} rows the POSTs wrote)")
        except Exception as exc:  # noqa: BLE001 - the cluster must still stop
            print(f"could not remove the posted reports: {exc}")
        finally:
            from django.db import connections

            connections.close_all()
            stop(CLUSTER)

    print()
    floor = results[FLOOR]
    for label, _requests in scenarios:
        line(label, results.get(label), None if label == FLOOR else floor, missing.get(label, ""))
    print()
    get, post = results.get(GET), results.get(POST)
    verdict_p99("GET", get, GET_P99_TARGET_MS)
    verdict_share("GET throughput >= 1/2 floor", get, floor, GET_FLOOR_SHARE)
    verdict_share("POST throughput >= 1/4 floor", post, floor, POST_FLOOR_SHARE, p99=True)
    command_line("signalements.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
