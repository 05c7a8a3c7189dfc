"""What the HTTP benchmarks on PostgreSQL share (bench/signalements.py, bench/demarches.py); not a
test: the cluster kept under var/ between runs, the production-like environment, the database's
set-up (migrations, Gironde, demo members), gunicorn --preload with the floor's URLconf, a
logged-in session, and the report's lines.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loadgen import Result, fetch  # noqa: E402

from scripts.pgcluster import _as_postgres, free_port, pg_bin, start, stop  # noqa: E402

FLOOR_PATH = "/bench/floor.json"

__all__ = [
    "FLOOR_PATH",
    "cluster_up",
    "free_port",
    "line",
    "prepare_database",
    "serve",
    "server_environment",
    "session_open",
    "shutdown",
    "since",
    "stop",
    "verdict",
]


def since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


# ---- The PostgreSQL cluster, kept between runs --------------------------------------------------
def cluster_up(directory: Path) -> str:
    """Start the cluster in `directory`, creating it the first time; return its DATABASE_URL."""
    data = directory / "data"
    if not (data / "PG_VERSION").exists():
        return start(directory)
    port = free_port()
    # The same options as scripts/pgcluster.py's fresh clusters.
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c shared_buffers=256MB -c max_connections=50"
    )
    stop(directory)
    (data / "postmaster.pid").unlink(missing_ok=True)
    subprocess.run(
        _as_postgres(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(directory / "postgres.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (directory / "port").write_text(str(port))
    return f"postgres://socle@127.0.0.1:{port}/postgres"


# ---- Django, the territory and the demo members -------------------------------------------------
def server_environment(
    url: str, port: int, *, data_dir: Path, settings_module: str = "signalements_settings"
) -> dict[str, str]:
    """Return the production-like environment shared by this process and the server (the
    settings module adds the floor's URLconf: bench/signalements_settings.py)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SOCLE_ENV": "production",
        "DEBUG": "0",
        "SOCLE_HTTPS": "0",
        "SECRET_KEY": key_file.read_text().strip(),
        "DATABASE_URL": url,
        "SOCLE_DATA_DIR": str(data_dir),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def prepare_database() -> None:
    """Migrate, import the Gironde and create the demo members, when missing."""
    from django.core.management import call_command

    from socle.demo.setup import setup_members, territory_loaded
    from socle.territoires.services import competence_catalogue_sync

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    competence_catalogue_sync()
    if not territory_loaded():
        from socle.territoires.importer import import_territory

        import_territory(departements=["33"])
    setup_members()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Database ready (migrations, Gironde, demo members) in {since(started)}")


def session_open(email: str) -> str:
    """Open a session for an account, second factor passed; return its key (the sessionid
    cookie)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from socle.comptes.models import User
    from socle.comptes.security import LOGGED_IN_AT, SECOND_FACTOR_AT

    user = User.objects.get(email=email)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SECOND_FACTOR_AT] = session[LOGGED_IN_AT] = int(time.time())
    session.save()
    assert session.session_key
    return session.session_key


# ---- The server ---------------------------------------------------------------------------------
def serve(
    environment: dict[str, str], port: int, workers: int, *, data_dir: Path
) -> subprocess.Popen:
    """Start gunicorn --preload on loopback (sync workers, as scripts/production_start.sh)."""
    log = open(data_dir / "gunicorn.log", "w")  # noqa: SIM115 - kept open for the server's life
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--pythonpath",
            str(BENCH),
            "--log-level",
            "warning",
            "socle.wsgi",
        ],
        env={**os.environ, **environment},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {data_dir / 'gunicorn.log'}")
        try:
            if fetch(port, ("GET", FLOOR_PATH, None, {}))[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 120 s")


def shutdown(server: subprocess.Popen) -> None:
    """Stop gunicorn (its master stops the workers)."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ---- Report -------------------------------------------------------------------------------------
def line(
    label: str, result: Result | None, floor: Result | None, note: str = "", width: int = 44
) -> None:
    """Print one load's p50, p99, throughput and its ratio to the floor's."""
    if result is None:
        print(f"{label:<{width}} not measured: {note}")
        return
    ratio = f"{result.throughput / floor.throughput:6.2f}x floor" if floor else ""
    errors = f"  {result.errors} errors" if result.errors else ""
    print(
        f"{label:<{width}} p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms  "
        f"{result.throughput:8.1f} req/s  {ratio}{errors}"
    )
    for sample in result.unexpected[:2]:
        print(f"    unexpected: {sample}")


def verdict(label: str, met: bool | None, detail: str) -> None:
    """Print a target: met, MISSED or not measured."""
    state = "not measured" if met is None else "met" if met else "MISSED"
    print(f"Target {label:<40} {state:<13} {detail}")


def verdict_p99(label: str, result: Result | None, target_ms: float) -> None:
    """Print a latency target: the load's p99 under `target_ms`, without errors."""
    verdict(
        f"{label} p99 < {target_ms:.0f} ms",
        None if result is None else result.p99 < target_ms and not result.errors,
        "" if result is None else f"({result.p99:.1f} ms)",
    )


def verdict_share(
    label: str, result: Result | None, floor: Result, share: float, *, p99: bool = False
) -> None:
    """Print a throughput target: at least `share` of the floor's (with the p99 if asked)."""
    detail = ""
    if result is not None:
        detail = f"({result.throughput / floor.throughput:.2f}x"
        detail += f", p99 {result.p99:.1f} ms)" if p99 else ")"
    verdict(
        label,
        None if result is None else result.throughput >= share * floor.throughput,
        detail,
    )


def command_line(script: str) -> None:
    """Print the command that reproduces this run."""
    print(f"\nCommand: .venv/bin/python bench/{script} {' '.join(sys.argv[1:])}".rstrip())
