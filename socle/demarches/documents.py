"""Receipts and attestations: HTML templates → PDF/A (WeasyPrint), signed PAdES (pyHanko), with a
verification code and QR code whose public page confirms them without personal data."""

from __future__ import annotations

import secrets

from socle.demarches.models import Document, Dossier


def document_code_new() -> str:
    """Return a fresh verification code, « K7QF-93XM-2PLD »."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    chars = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def document_request(*, dossier: Dossier, kind: str) -> Document:
    """Create the dossier's document of this kind (once) and queue its generation, in the
    caller's transaction. (Stub: the documents brief implements generation.)"""
    document, _created = Document.objects.get_or_create(
        dossier=dossier,
        kind=kind,
        defaults={
            "code": document_code_new(),
            "intitule": f"{Document.Kind(kind).label} — {dossier.version.titre}",
            "emetteur": dossier.membre.collectivite.nom,
        },
    )
    return document
