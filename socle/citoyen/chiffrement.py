"""Files encrypted at rest: each file has its own data key (AES-256-GCM); the data key is stored
wrapped by the platform's key (Fernet, `SOCLE_ENCRYPTION_KEY`: the first key wraps, every key
unwraps; without it, a key derived from SECRET_KEY and its fallbacks, as for second factors).

Rotating the platform key: put the new key first in SOCLE_ENCRYPTION_KEY, keep the old one after
it, run `socle citoyen cles --rotation` (re-wraps every data key with the new key, the files
themselves are not rewritten, and re-encrypts every other value made with that key: second
factors' and webhooks' secrets, data.gouv.fr API keys: ENCRYPTED_COLUMNS), then, once it reports
no unreadable row, drop the old key.

On disk a file is ``SOCLE-AEAD-1`` + 12-byte nonce + ciphertext (with GCM's tag); the nonce is
random and the file's id (its path) is the associated data, so a ciphertext moved to another
file's place does not decrypt.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from socle.citoyen.models import FichierChiffre
from socle.comptes.totp import fernet, secrets_rotate

StrOrPromise = str | Promise

MAGIC = b"SOCLE-AEAD-1"
NONCE_BYTES = 12


class FichierIllisible(Exception):
    """A stored file that no configured key opens, or whose content was altered."""


def files_dir() -> Path:
    """Return the folder of the encrypted files (settings.CITOYEN_FILES_DIR)."""
    return Path(settings.CITOYEN_FILES_DIR)


def _path(chemin: str) -> Path:
    return files_dir() / chemin


def fichier_store(*, content: bytes, nom: str, type_mime: str, proprietaire) -> FichierChiffre:
    """Encrypt and store content under a fresh data key; return its row (in the caller's
    transaction; the ciphertext is removed again if that transaction rolls back)."""
    data_key = AESGCM.generate_key(bit_length=256)
    now = timezone.now()
    chemin = f"{now:%Y/%m}/{secrets.token_hex(16)}"
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, content, chemin.encode())
    path = _path(chemin)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(MAGIC + nonce + ciphertext)
        handle.flush()
        os.fsync(handle.fileno())
    # A rollback leaves the ciphertext without a row: `socle citoyen orphelins` removes such
    # files once they are a day old.
    return FichierChiffre.objects.create(
        proprietaire=proprietaire,
        nom=nom[:200],
        type_mime=type_mime[:120],
        taille=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        chemin=chemin,
        cle_chiffree=fernet().encrypt(data_key).decode(),
        cree_le=now,
    )


def fichier_read(fichier: FichierChiffre) -> bytes:
    """Return a stored file's clear content; raise FichierIllisible when it cannot be opened."""
    try:
        data_key = fernet().decrypt(fichier.cle_chiffree.encode())
    except Exception as error:  # InvalidToken: no configured key wraps it
        raise FichierIllisible("no configured key unwraps this file's data key") from error
    try:
        raw = _path(fichier.chemin).read_bytes()
    except FileNotFoundError as error:
        raise FichierIllisible("the encrypted file is missing") from error
    if not raw.startswith(MAGIC):
        raise FichierIllisible("not an encrypted file")
    nonce = raw[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(data_key).decrypt(
            nonce, raw[len(MAGIC) + NONCE_BYTES :], fichier.chemin.encode()
        )
    except Exception as error:  # InvalidTag: altered ciphertext
        raise FichierIllisible("the encrypted file was altered") from error


def fichier_delete(fichier: FichierChiffre) -> None:
    """Delete a stored file's row and, once the transaction commits, its ciphertext."""
    fichiers_delete([fichier])


def fichiers_delete(fichiers: Iterable[FichierChiffre]) -> None:
    """Delete stored files' rows in one statement and, once the transaction commits, their
    ciphertexts."""
    fichiers = list(fichiers)
    if not fichiers:
        return
    paths = [_path(fichier.chemin) for fichier in fichiers]
    FichierChiffre.objects.filter(pk__in=[fichier.pk for fichier in fichiers]).delete()

    def unlink() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(unlink)


@dataclass(frozen=True)
class EncryptedColumn:
    """A column holding Fernet tokens made with SOCLE_ENCRYPTION_KEY, and how the rotation
    command speaks of it."""

    model: str  # "app_label.Model", looked up at run time (the apps above this one included)
    column: str
    nom: StrOrPromise  # what the rows are, for the report
    rechiffres: StrOrPromise  # "%(count)d … rechiffré(s)"
    remede: StrOrPromise  # what to do with a row that no key opens


# Every value encrypted with the platform's key (grep `fernet()` and `secret_encrypt`; a test
# checks that every column named like an encrypted one is here).
ENCRYPTED_COLUMNS = (
    EncryptedColumn(
        "citoyen.FichierChiffre",
        "cle_chiffree",
        gettext_lazy("Fichiers du dossier citoyen"),
        gettext_lazy("%(count)d clé(s) de fichier rechiffrée(s) avec la première clé."),
        gettext_lazy(
            "leur contenu est perdu sans l’ancienne clé : remettez-la dans SOCLE_ENCRYPTION_KEY "
            "et relancez la rotation."
        ),
    ),
    EncryptedColumn(
        "comptes.TOTPDevice",
        "secret",
        gettext_lazy("Seconds facteurs (TOTP)"),
        gettext_lazy("%(count)d secret(s) de second facteur rechiffré(s) avec la première clé."),
        gettext_lazy("un opérateur doit réinitialiser le second facteur de ces comptes."),
    ),
    EncryptedColumn(
        "demarches.Webhook",
        "secret",
        gettext_lazy("Webhooks"),
        gettext_lazy(
            "%(count)d secret(s) de signature de webhook rechiffré(s) avec la première clé."
        ),
        gettext_lazy("supprimez ces webhooks et créez-les à nouveau (nouveau secret)."),
    ),
    EncryptedColumn(
        "opendata.CompteDataGouv",
        "cle_chiffree",
        gettext_lazy("Comptes data.gouv.fr"),
        gettext_lazy("%(count)d clé(s) d’API data.gouv.fr rechiffrée(s) avec la première clé."),
        gettext_lazy("saisissez à nouveau la clé d’API de ces comptes."),
    ),
)


@dataclass
class KeyRotation:
    """One column's part of a rotation."""

    column: EncryptedColumn
    rotated: int
    unreadable: list[Any]


def keys_rotate(*, batch: int = 500) -> list[KeyRotation]:
    """Re-encrypt with the platform's first key every value encrypted with SOCLE_ENCRYPTION_KEY:
    the files' data keys (the files are not rewritten), second factors' secrets, webhooks'
    secrets, data.gouv.fr API keys; `batch` rows per transaction. Rows that no configured key
    opens are listed in the result, the others rotated all the same."""
    report = []
    for column in ENCRYPTED_COLUMNS:
        app_label, model_name = column.model.split(".")
        if not apps.is_installed(f"socle.{app_label}"):
            continue
        model = apps.get_model(app_label, model_name)
        result = secrets_rotate(model, column.column, batch=batch)
        report.append(KeyRotation(column, result.rotated, result.unreadable))
    return report
