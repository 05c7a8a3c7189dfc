"""Time-based one-time passwords (RFC 6238) with pyotp, and their secrets encrypted at rest.

The secret of a TOTPDevice is stored encrypted with Fernet. The key comes from
settings.SOCLE_ENCRYPTION_KEY (one or more Fernet keys, comma-separated, the first one encrypts)
or, when unset, is derived from SECRET_KEY; keys derived from SECRET_KEY_FALLBACKS still decrypt,
so that rotating SECRET_KEY does not lock every agent out at once.
"""

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyotp
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.html import escape

# RFC 6238 defaults, which every authenticator application understands.
DIGITS = 6
INTERVAL = 30
# Accept the previous and the next time step too (clocks drift, people type slowly).
WINDOW = 1
KEY_SALT = b"socle.comptes.totp.secret"


def _derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(KEY_SALT + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=8)
def _fernet(configured: str, secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    keys = [key.strip().encode() for key in configured.split(",") if key.strip()]
    keys += [_derived_key(secret_key)] + [_derived_key(key) for key in fallbacks]
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """Return the Fernet used for secrets at rest (the first key encrypts, all decrypt)."""
    return _fernet(
        getattr(settings, "SOCLE_ENCRYPTION_KEY", "") or "",
        settings.SECRET_KEY,
        tuple(settings.SECRET_KEY_FALLBACKS),
    )


def secret_encrypt(secret: str) -> str:
    """Encrypt a base32 secret for storage."""
    return fernet().encrypt(secret.encode()).decode()


class SecretUndecryptable(ValueError):
    """No configured key (SOCLE_ENCRYPTION_KEY, SECRET_KEY, SECRET_KEY_FALLBACKS) opens a secret."""


def secret_decrypt(stored: str) -> str:
    """Decrypt a stored secret; raise SecretUndecryptable when no configured key opens it."""
    try:
        return fernet().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise SecretUndecryptable("No configured key decrypts this TOTP secret.") from error


@dataclass
class RotationResult:
    """What re-encrypting one column gave: rows re-encrypted, rows no configured key opens."""

    rotated: int = 0
    unreadable: list[Any] = field(default_factory=list)


def secrets_rotate(model: type[Model], column: str, *, batch: int = 500) -> RotationResult:
    """Re-encrypt every value of a column holding Fernet tokens (TOTP secrets, webhook secrets,
    data keys…) with the first configured key, `batch` rows per transaction. A row that no key
    opens is listed, not fatal; a row changed meanwhile (a new secret) is left as it is."""
    multi = fernet()
    result = RotationResult()
    last = None
    while True:
        rows = model._default_manager.order_by("pk").values_list("pk", column)
        if last is not None:
            rows = rows.filter(pk__gt=last)
        chunk = list(rows[:batch])
        if not chunk:
            return result
        with transaction.atomic():
            for pk, stored in chunk:
                try:
                    rotated = multi.rotate(stored.encode()).decode()
                except (InvalidToken, ValueError):
                    result.unreadable.append(pk)
                    continue
                # Only if unchanged since read: a secret written meanwhile is already current.
                result.rotated += model._default_manager.filter(pk=pk, **{column: stored}).update(
                    **{column: rotated}
                )
        last = chunk[-1][0]


def new_secret() -> str:
    """Return a fresh random base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(length=32)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)


def current_step(at: float | None = None) -> int:
    """Return the RFC 6238 time step (counter) for a Unix time, now by default."""
    return int((time.time() if at is None else at) // INTERVAL)


def code_at(secret: str, at: float | None = None) -> str:
    """Return the code for a Unix time (now by default): what an authenticator shows."""
    return _totp(secret).generate_otp(current_step(at))


def normalise_code(code: str) -> str:
    """Keep the digits of what was typed (« 123 456 » is fine)."""
    return "".join(ch for ch in str(code) if ch.isdigit())


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """Return the time step the code belongs to within the accepted window, or None."""
    code = normalise_code(code)
    if len(code) != DIGITS:
        return None
    totp = _totp(secret)
    now = current_step(at)
    found = None
    # Compare against every step of the window so that the time taken tells nothing.
    for step in (now, now - 1, now + 1)[: 2 * WINDOW + 1]:
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    return found


def provisioning_uri(secret: str, *, account: str) -> str:
    """Return the otpauth:// URI that authenticator applications read (from a QR code)."""
    return _totp(secret).provisioning_uri(name=account, issuer_name=settings.SITE_NAME)


def grouped(secret: str) -> str:
    """Write a secret in groups of four characters, for typing it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(uri: str, *, label: str) -> str | None:
    """Return the URI as an inline, labelled SVG QR code, or None without segno."""
    try:
        import segno
    except ImportError:  # pragma: no cover - segno is optional
        return None
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, light="#ffffff", title=label)
    # An image with a name, for assistive technologies (RGAA 1.1).
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
