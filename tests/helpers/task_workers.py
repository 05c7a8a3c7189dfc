"""Real `socle db_worker` processes on the test database (it must be committed: transactional)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker process that works on this test run's database."""
    from django.db import connection

    # The test run's settings module (pytest-django exports it), on the test run's database.
    env = {"DJANGO_SETTINGS_MODULE": "socle.settings", **os.environ, **extra}
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        env["SOCLE_SQLITE_PATH"] = str(name)
    else:
        # pytest-django created test_<name> beside the database DATABASE_URL names.
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
    return env


def start_worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    """Start `socle db_worker` (polling every 0.1 s); its output goes to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "socle",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--verbosity",
                "2",
                *args,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
