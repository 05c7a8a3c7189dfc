"""Signed webhooks: a member's business software is told of its dossiers' changes."""

from __future__ import annotations

from socle.demarches.models import Dossier


def webhooks_notify(*, dossier: Dossier, evenement: str) -> None:
    """Queue a delivery of this event to each active webhook of the dossier's member, in the
    caller's transaction. (Stub: the webhooks brief implements it.)"""
    return None
