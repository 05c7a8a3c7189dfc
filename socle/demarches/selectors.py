"""Reads of the démarches module. The citizen's reads take the user; the agents' the member or
the user, explicitly."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from socle.demarches.models import Demarche, Dossier
from socle.membres.models import Membre

# --- Public and the citizen's reads --------------------------------------------------------------


def demarches_published(*, membre: Membre) -> QuerySet[Demarche]:
    """Return the procedures a member offers on its portal."""
    return Demarche.objects.filter(membre=membre, etat=Demarche.Etat.PUBLIEE, version__gt=0)


def get_demarche_public(*, membre: Membre, code: str) -> Demarche:
    """Return a published procedure of the member; 404 otherwise."""
    found = demarches_published(membre=membre).filter(slug=code).first()
    if found is None:
        raise Http404
    return found


def dossiers_of_user(user) -> QuerySet[Dossier]:
    """Return the citizen's dossiers (drafts included), last changed first."""
    return (
        Dossier.objects.filter(usager=user)
        .select_related("demarche", "version", "membre__collectivite")
        .order_by("-modifie_le", "-pk")
    )


def get_dossier_for_usager(*, user, reference: str) -> Dossier:
    """Return one of the citizen's own dossiers; 404 for anyone else's (or anonymous)."""
    if user is None or not user.is_authenticated:
        raise Http404
    found = dossiers_of_user(user).filter(reference=reference).first()
    if found is None:
        raise Http404
    return found
