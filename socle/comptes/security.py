"""Security of accounts: the security-event journal, login throttling, the two-step login,
the password policy and the idle timeout of back-office sessions.

Throttling counts SecurityEvent rows in the database, so that it holds across processes and
application servers without a shared cache.
"""

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socle.comptes import roles
from socle.comptes.models import SecurityEvent, TOTPDevice, User

logger = logging.getLogger("socle.security")

# Session keys of the two-step login. While they are set, the user is NOT logged in.
PENDING_USER = "_socle_pending_user"
PENDING_HASH = "_socle_pending_hash"
PENDING_BACKEND = "_socle_pending_backend"
PENDING_NEXT = "_socle_pending_next"
PENDING_SINCE = "_socle_pending_since"
PENDING_METHOD = "_socle_pending_method"
# Set once the session has passed a second factor.
SECOND_FACTOR_AT = "_socle_second_factor_at"
# When this session's login completed (sensitive changes ask for a recent one).
LOGGED_IN_AT = "_socle_logged_in_at"
# The user whose enrolment this session started (a new secret for every new session).
ENROLMENT_USER = "_socle_enrolment_user"
# Idle timeout of back-office sessions.
LAST_SEEN = "_socle_last_seen"
IDLE_SCOPE = "_socle_idle_scope"

DEFAULT_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Security events ---------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """Normalise an email as accounts store it (for journals and counters)."""
    return (email or "").strip().lower()[:254]


def user_for_email(email: str) -> User | None:
    """Return the account with this address, if any (for journals; never shown)."""
    email = normalise_email(email)
    return User.objects.filter(email__iexact=email).first() if email else None


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's IP address, trusting X-Forwarded-For only behind known proxies.

    settings.SOCLE_PROXY_COUNT tells how many reverse proxies stand in front of the
    application; the client's address is then the one that the outermost proxy appended.
    """
    if request is None:
        return None
    proxies = int(_setting("SOCLE_PROXY_COUNT", 0))
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _real_user(user) -> User | None:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def security_event_record(
    *,
    kind: str,
    user: User | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    details: dict | None = None,
) -> SecurityEvent:
    """Write a security event; never pass a password or a code in details."""
    if kind not in SecurityEvent.Kind.values:
        raise ValueError(f"Unknown security event kind: {kind!r}")
    details = {
        key: value
        for key, value in (details or {}).items()
        if "password" not in key and key != "code" and "token" not in key
    }
    event = SecurityEvent.objects.create(
        kind=kind,
        user=_real_user(user),
        actor=_real_user(actor),
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        details=details,
    )
    logger.info(
        "security event %s user=%s actor=%s ip=%s",
        kind,
        getattr(event.user, "pk", None),
        getattr(event.actor, "pk", None),
        event.ip,
    )
    return event


def user_security_events(*, user: User, limit: int = 10) -> QuerySet[SecurityEvent]:
    """Return the user's own most recent security events, for « Mon espace »."""
    return SecurityEvent.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


# --- Throttling --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttled:
    """A refusal: which counter tripped and how long to wait."""

    scope: str  # "account", "ip" or "totp"
    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        return ngettext(
            "Trop de tentatives. Pour protéger ce compte, réessayez dans %(minutes)d minute.",
            "Trop de tentatives. Pour protéger ce compte, réessayez dans %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


def _window() -> timedelta:
    return timedelta(seconds=int(_setting("LOGIN_THROTTLE_WINDOW", 15 * 60)))


def _check(events: QuerySet[SecurityEvent], *, limit: int, scope: str) -> Throttled | None:
    """Throttle when the window holds `limit` failures; free again when the oldest leaves."""
    if limit <= 0:
        return None
    recent = list(events.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if len(recent) < limit:
        return None
    free_at: datetime = recent[-1] + _window()
    wait = (free_at - timezone.now()).total_seconds()
    return Throttled(scope=scope, retry_after=max(1, math.ceil(wait))) if wait > 0 else None


def _since(user: User | None) -> datetime:
    since = timezone.now() - _window()
    # A successful login starts the account's count afresh.
    if user is not None and user.last_login and user.last_login > since:
        since = user.last_login
    return since


def login_throttle_check(*, email: str, request: HttpRequest) -> Throttled | None:
    """Tell whether a password login for this email, from this IP, must be refused now."""
    email = normalise_email(email)
    user = user_for_email(email)
    failures = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)
    if email:
        # Per attempted email, whether an account exists or not: throttling tells nothing.
        per_account = failures.filter(created_at__gt=_since(user))
        per_account = (
            per_account.filter(user=user) if user else per_account.filter(details__email=email)
        )
        found = _check(
            per_account,
            limit=int(_setting("LOGIN_THROTTLE_ACCOUNT_FAILURES", 5)),
            scope="account",
        )
        if found:
            return found
    ip = client_ip(request)
    if ip:
        per_ip = failures.filter(ip=ip, created_at__gt=timezone.now() - _window())
        return _check(per_ip, limit=int(_setting("LOGIN_THROTTLE_IP_FAILURES", 20)), scope="ip")
    return None


def throttle_serialise(*keys: str) -> None:
    """Inside a transaction: wait until no other transaction holds one of these keys.

    A throttle counts, then records, an attempt; two requests must not both count before
    either records. PostgreSQL: a transaction-level advisory lock per key (taken in the order
    given: callers name the account before the IP). SQLite: the settings start every
    transaction with BEGIN IMMEDIATE, so transactions that write already run one at a time.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("throttle_serialise() needs a transaction")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in keys:
            digest = hashlib.sha256(f"socle.throttle:{key}".encode()).digest()
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
            )


@transaction.atomic
def login_attempt_start(
    *, email: str, request: HttpRequest, details: dict | None = None
) -> tuple[Throttled | None, SecurityEvent | None]:
    """Count a password attempt BEFORE the password is checked; or refuse it.

    Returns (refusal, None) when throttled, else (None, the failure recorded in advance): the
    caller then checks the password and, if it was right, calls login_attempt_succeeded. The
    check and the record run in one transaction serialised per account and per IP, so that
    parallel requests cannot all pass the check before any failure is counted.
    """
    email = normalise_email(email)
    ip = client_ip(request)
    throttle_serialise(*([f"login:{email}"] if email else []), *([f"ip:{ip}"] if ip else []))
    throttled = login_throttle_check(email=email, request=request)
    if throttled is not None:
        return throttled, None
    attempt = security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        user=user_for_email(email),
        request=request,
        details={"email": email, **(details or {})},
    )
    return None, attempt


def login_attempt_succeeded(*, attempt: SecurityEvent) -> None:
    """The password was right: the failure recorded in advance did not happen.

    The login itself then restarts the account's count (see _since), as before.
    """
    SecurityEvent.objects.filter(pk=attempt.pk, kind=SecurityEvent.Kind.LOGIN_FAILED).delete()


def totp_throttle_check(*, user: User) -> Throttled | None:
    """Tell whether second-factor codes for this user must be refused now."""
    failures = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.TOTP_FAILED, user=user, created_at__gt=_since(user)
    )
    return _check(failures, limit=int(_setting("LOGIN_THROTTLE_TOTP_FAILURES", 5)), scope="totp")


# --- Second factor and the two-step login ------------------------------------------------------


def second_factor_required(user: User) -> bool:
    """Tell whether the user's roles make a second factor mandatory."""
    return roles.user_requires_second_factor(user)


def second_factor_device(user: User) -> TOTPDevice | None:
    """Return the user's confirmed second factor, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def session_passed_second_factor(request: HttpRequest) -> bool:
    """Tell whether this session was opened (or confirmed) with a second factor."""
    return bool(request.session.get(SECOND_FACTOR_AT))


def login_pending_start(
    request: HttpRequest, user: User, *, backend: str, redirect_to: str, method: str = "password"
) -> None:
    """Remember who passed the first factor; the session is NOT authenticated."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_HASH] = user.get_session_auth_hash()
    request.session[PENDING_BACKEND] = backend
    request.session[PENDING_NEXT] = redirect_to
    request.session[PENDING_SINCE] = int(time.time())
    request.session[PENDING_METHOD] = method


def login_pending_clear(request: HttpRequest) -> None:
    """Forget a pending login."""
    for key in (
        PENDING_USER,
        PENDING_HASH,
        PENDING_BACKEND,
        PENDING_NEXT,
        PENDING_SINCE,
        PENDING_METHOD,
    ):
        request.session.pop(key, None)


def login_pending_user(request: HttpRequest) -> User | None:
    """Return the user waiting for the second step, if the wait is still valid."""
    user_id = request.session.get(PENDING_USER)
    if user_id is None:
        return None
    started = int(request.session.get(PENDING_SINCE, 0))
    if time.time() - started > int(_setting("SECOND_FACTOR_PENDING_TIMEOUT", 300)):
        login_pending_clear(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    # A password changed in between cancels the pending login.
    if user is None or not constant_time_compare(
        request.session.get(PENDING_HASH, ""), user.get_session_auth_hash()
    ):
        login_pending_clear(request)
        return None
    return user


def session_logged_in_recently(request: HttpRequest, *, seconds: int) -> bool:
    """Tell whether this session's login completed less than `seconds` ago."""
    logged_in_at = request.session.get(LOGGED_IN_AT)
    return logged_in_at is not None and time.time() - int(logged_in_at) <= seconds


def login_pending_redirect(request: HttpRequest) -> str:
    """Where to go once the pending login completes."""
    return request.session.get(PENDING_NEXT) or resolve_url(settings.LOGIN_REDIRECT_URL)


def login_pending_method(request: HttpRequest) -> str:
    """How the first factor was passed: "password", "franceconnect", "proconnect"…"""
    return request.session.get(PENDING_METHOD) or "password"


def login_pending_backend(request: HttpRequest) -> str:
    """The authentication backend that checked the first factor."""
    return request.session.get(PENDING_BACKEND) or DEFAULT_BACKEND


def login_complete(
    request: HttpRequest, user: User, *, backend: str, second_factor: bool, method: str
) -> None:
    """Log the user in for good and journal it."""
    login_pending_clear(request)
    login(request, user, backend=backend)
    request.session[LOGGED_IN_AT] = int(time.time())
    if second_factor:
        request.session[SECOND_FACTOR_AT] = int(time.time())
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN,
        user=user,
        request=request,
        details={"method": method, "second_factor": second_factor},
    )
    # An address still to verify is told once, by the notice of every page
    # (comptes/partials/verification_banner.html), not by a message here as well.


def login_or_second_factor(
    request: HttpRequest,
    user: User,
    *,
    redirect_to: str,
    backend: str = DEFAULT_BACKEND,
    method: str = "password",
) -> HttpResponseRedirect:
    """After a first factor: log in, or ask for the second factor (or its enrolment) first.

    Every way of logging in with a password goes through here, so that an administrator or
    an opérateur is never authenticated without a second factor.
    """
    device = second_factor_device(user)
    if device is None and not second_factor_required(user):
        login_complete(request, user, backend=backend, second_factor=False, method=method)
        return HttpResponseRedirect(redirect_to)
    if request.user.is_authenticated:
        logout(request)
    login_pending_start(request, user, backend=backend, redirect_to=redirect_to, method=method)
    if device is None:
        return redirect("comptes:second_facteur_activer")
    return redirect("comptes:second_facteur")


# --- Password policy ---------------------------------------------------------------------------


class CharacterClassesValidator:
    """CNIL recommendation: mix character kinds, unless the password is long enough.

    Requires `min_classes` of the four kinds (lowercase, uppercase, digits, others), or a
    length of at least `long_enough` characters (a passphrase).
    """

    def __init__(self, min_classes: int = 3, long_enough: int = 14):
        self.min_classes = min_classes
        self.long_enough = long_enough

    def validate(self, password: str, user=None) -> None:
        if len(password) >= self.long_enough:
            return
        kinds = [
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        ]
        if sum(kinds) < self.min_classes:
            raise ValidationError(
                _(
                    "Ce mot de passe doit mélanger au moins %(classes)d types de caractères "
                    "(minuscules, majuscules, chiffres, caractères spéciaux) ou compter au "
                    "moins %(length)d caractères."
                ),
                code="password_too_simple",
                params={"classes": self.min_classes, "length": self.long_enough},
            )

    def get_help_text(self) -> str:
        return _(
            "Votre mot de passe doit mélanger au moins %(classes)d types de caractères "
            "(minuscules, majuscules, chiffres, caractères spéciaux) ou compter au moins "
            "%(length)d caractères."
        ) % {"classes": self.min_classes, "length": self.long_enough}


# --- Email verification tokens -----------------------------------------------------------------


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """A salted HMAC over the user's email and verification date: it expires and works once.

    Verifying the address changes email_verified_at, which invalidates the token; so does a
    change of address. Tokens expire after settings.EMAIL_VERIFICATION_TIMEOUT seconds.
    """

    key_salt = "socle.comptes.security.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        verified = (
            ""
            if user.email_verified_at is None
            else user.email_verified_at.replace(microsecond=0, tzinfo=None)
        )
        return f"{user.pk}{user.email}{verified}{timestamp}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= int(_setting("EMAIL_VERIFICATION_TIMEOUT", 48 * 3600))


email_verification_token = EmailVerificationTokenGenerator()


# --- The second factor, on every request -------------------------------------------------------


class SecondFactorMiddleware:
    """Log out a session without a second factor once its user's roles require one.

    The login checks it, but a session opened earlier (before a role was granted elsewhere, or
    before an opérateur reset the device) must not keep the rights without the code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not session_passed_second_factor(request)
            and second_factor_required(user)
        ):
            security_event_record(
                kind=SecurityEvent.Kind.LOGOUT,
                user=user,
                request=request,
                details={"second_factor_missing": True},
            )
            logout(request)
            messages.info(
                request,
                _("Votre rôle demande un second facteur : reconnectez-vous pour le saisir."),
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# --- Idle timeout of back-office sessions ------------------------------------------------------


class BackOfficeIdleTimeoutMiddleware:
    """Log out a user holding a role after settings.BACK_OFFICE_IDLE_TIMEOUT seconds idle.

    The last activity is written to the session at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = int(_setting("BACK_OFFICE_IDLE_TIMEOUT", 0))
        user = getattr(request, "user", None)
        if timeout > 0 and user is not None and user.is_authenticated:
            response = self._check(request, user, timeout)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user, timeout):
        session = request.session
        in_scope = session.get(IDLE_SCOPE)
        if in_scope is None:
            in_scope = roles.user_holds_role(user)
            session[IDLE_SCOPE] = in_scope
        if not in_scope:
            return None
        now = int(time.time())
        last_seen = session.get(LAST_SEEN)
        if last_seen is not None and now - int(last_seen) > timeout:
            security_event_record(
                kind=SecurityEvent.Kind.LOGOUT, user=user, request=request, details={"idle": True}
            )
            logout(request)
            messages.info(
                request,
                _("Votre session a expiré après une période d’inactivité : reconnectez-vous."),
            )
            return redirect_to_login(request.get_full_path())
        if last_seen is None or now - int(last_seen) >= 60:
            session[LAST_SEEN] = now
        return None
