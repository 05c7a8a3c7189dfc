#!/usr/bin/env python3
"""Start or stop a throwaway PostgreSQL cluster on loopback, for the tests and benchmarks.

python scripts/pgcluster.py start DIR   prints a DATABASE_URL for the running cluster
python scripts/pgcluster.py stop DIR
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL is not installed ({name} not found); run `make pg-deps`.")
    return found[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the packaged postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start(directory: Path) -> str:
    directory = directory.resolve()
    if directory.exists():
        stop(directory)
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    data = directory / "data"
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(directory, pw.pw_uid, pw.pw_gid)
    subprocess.run(
        _as_postgres(
            [
                pg_bin("initdb"),
                "-D",
                str(data),
                "-U",
                "socle",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c shared_buffers=256MB -c max_connections=50"
    )
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
    for _ in range(50):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    return f"postgres://socle@127.0.0.1:{port}/postgres"


def stop(directory: Path) -> None:
    data = directory.resolve() / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in {"start", "stop"}:
        raise SystemExit(__doc__)
    action, directory = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(directory))
    else:
        stop(directory)


if __name__ == "__main__":
    main()
