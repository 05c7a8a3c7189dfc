"""The codes people read aloud or type: dossier references (« D-7K3M-Q9TZ ») and documents'
verification codes (« K7QF-93XM-2PLD »). One alphabet, no 0/O or 1/I/L, and one way to read
back what someone typed (case, spaces and dashes ignored)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]")


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", str(text or "")).upper()


def reference_new() -> str:
    """Return a fresh dossier reference (unicity is the caller's retry)."""
    chars = _random(8)
    return f"D-{chars[:4]}-{chars[4:]}"


def reference_normalise(text: str) -> str | None:
    """Return the reference a typed text stands for (« d-7k3m-q9tz », « 7K3MQ9TZ »), if any."""
    compact = _compact(text)
    if compact.startswith("D") and len(compact) == 9:
        compact = compact[1:]
    if len(compact) == 8 and all(c in ALPHABET for c in compact):
        return f"D-{compact[:4]}-{compact[4:]}"
    return None


def document_code_new() -> str:
    """Return a fresh verification code."""
    chars = _random(12)
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def document_code_normalise(text: str) -> str:
    """Return a typed code in its printed form, or "" when it cannot be one."""
    chars = _compact(text)
    if len(chars) != 12 or any(char not in ALPHABET for char in chars):
        return ""
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"
