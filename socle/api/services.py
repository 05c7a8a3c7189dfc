"""Creating, revoking and checking API keys, and counting their requests.

A key is `socle_<32 random bytes, base64url>`: 256 bits from `secrets`, so a plain SHA-256 of
it is enough to store (a slow hash such as Argon2 protects low-entropy passwords against
guessing; nobody can guess a 256-bit random key, and checking it must stay cheap on every
request). Keys are found by their prefix, then the hash is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.api.models import ApiKey
from socle.api.scopes import api_scopes
from socle.membres.models import Membre
from socle.membres.permissions import permission_check
from socle.membres.services import audit_record

KEY_MARK = "socle_"
PREFIX_LENGTH = 8
RATE_WINDOW = timedelta(minutes=1)
MAX_RATE = 10_000


class KeyRejected(Exception):
    """The key presented is malformed, unknown or revoked."""

    def __init__(self, revoked: bool = False):
        super().__init__("revoked" if revoked else "invalid")
        self.revoked = revoked


def _hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _clean(*, name: str, scopes: list[str], rate_per_minute: int) -> tuple[str, list[str]]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Le nom est obligatoire.")
    known = api_scopes()
    scopes = list(dict.fromkeys(scopes or []))
    if not scopes:
        errors["scopes"] = _("Choisissez au moins une portée.")
    elif unknown := [scope for scope in scopes if scope not in known]:
        errors["scopes"] = _("Portée inconnue : %(scopes)s") % {"scopes": ", ".join(unknown)}
    if not 1 <= rate_per_minute <= MAX_RATE:
        errors["rate_per_minute"] = _("La limite doit être comprise entre 1 et %(max)s.") % {
            "max": MAX_RATE
        }
    if errors:
        raise ValidationError(errors)
    return name, scopes


@transaction.atomic
def api_key_create(
    *,
    acting_user,
    membre: Membre | None,
    name: str,
    scopes: list[str],
    rate_per_minute: int = 60,
    application: str = "",
) -> tuple[ApiKey, str]:
    """Create a key for a member (None: the whole platform); return it and its plaintext,
    which is shown once and never stored."""
    permission_check(acting_user, "cles_api.gerer", membre)
    name, scopes = _clean(name=name, scopes=scopes, rate_per_minute=rate_per_minute)
    for _attempt in range(5):
        token = secrets.token_urlsafe(32)
        plaintext = KEY_MARK + token
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    name=name,
                    application=(application or "").strip()[:200],
                    prefix=token[:PREFIX_LENGTH],
                    secret_hash=_hash(plaintext),
                    scopes=scopes,
                    membre=membre,
                    rate_per_minute=rate_per_minute,
                    created_by=acting_user
                    if getattr(acting_user, "is_authenticated", False)
                    else None,
                )
        except IntegrityError:  # the same prefix, once in 2**48: draw again
            continue
        break
    else:  # pragma: no cover
        raise RuntimeError("could not draw a unique API key prefix")
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="cle_api.create",
        target=key,
        details={"prefix": key.prefix, "scopes": scopes, "rate_per_minute": rate_per_minute},
    )
    return key, plaintext


@transaction.atomic
def api_key_revoke(*, acting_user, key: ApiKey) -> ApiKey:
    """Revoke a key: it opens nothing from now on. Revoking a revoked key changes nothing."""
    permission_check(acting_user, "cles_api.gerer", key.membre)
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            acting_user=acting_user,
            membre=key.membre,
            action="cle_api.revoke",
            target=key,
            details={"prefix": key.prefix},
        )
    return key


def api_key_authenticate(plaintext: str) -> ApiKey:
    """Return the active key whose plaintext this is, or raise KeyRejected."""
    if not plaintext.startswith(KEY_MARK) or len(plaintext) > 200:
        raise KeyRejected
    prefix = plaintext[len(KEY_MARK) : len(KEY_MARK) + PREFIX_LENGTH]
    key = ApiKey.objects.select_related("membre").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(plaintext)):
        raise KeyRejected
    if key.revoked_at is not None:
        raise KeyRejected(revoked=True)
    return key


def api_key_rate_hit(key: ApiKey) -> float | None:
    """Count one request of the key; return None if allowed, else the seconds to wait.

    A fixed window per key, kept in the key's row and changed by conditional UPDATEs: atomic,
    and shared by every worker process (the default cache is per process).
    """
    now = timezone.now()
    window_open = now - RATE_WINDOW
    rows = ApiKey.objects.filter(pk=key.pk)
    counted = rows.filter(
        window_started_at__gt=window_open, window_count__lt=key.rate_per_minute
    ).update(window_count=F("window_count") + 1, last_used_at=now)
    if not counted:
        counted = rows.filter(
            Q(window_started_at__isnull=True) | Q(window_started_at__lte=window_open)
        ).update(window_started_at=now, window_count=1, last_used_at=now)
    if not counted:
        # Another request opened the new window between the two updates: count in it.
        counted = rows.filter(
            window_started_at__gt=window_open, window_count__lt=key.rate_per_minute
        ).update(window_count=F("window_count") + 1, last_used_at=now)
    if counted:
        return None
    started = rows.values_list("window_started_at", flat=True).first()
    if started is None:
        return RATE_WINDOW.total_seconds()
    return max(1.0, (started + RATE_WINDOW - now).total_seconds())
