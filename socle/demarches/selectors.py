"""Reads of the démarches module. The citizen's reads take the user; the agents' the member or
the user, explicitly."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from socle.demarches.models import Demarche, Dossier, Modele
from socle.membres.models import Membre
from socle.membres.permissions import grants_for

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


# --- Configuration: a member's procedures, the structure's templates ---------------------------


def demarches_of_membre(*, membre: Membre) -> QuerySet[Demarche]:
    """Return every procedure of a member (drafts and closed ones too), by title."""
    return (
        Demarche.objects.filter(membre=membre)
        .select_related("modele", "competence")
        .order_by("titre", "pk")
    )


def get_demarche_for_user(*, user, membre: Membre, code: str) -> Demarche:
    """Return a member's procedure for someone who configures them there; 403 without the
    permission, 404 for a code the member does not have."""
    if not grants_for(user).has("demarches.configurer", membre):
        raise PermissionDenied
    found = demarches_of_membre(membre=membre).filter(slug=code).first()
    if found is None:
        raise Http404
    return found


def modeles_published() -> QuerySet[Modele]:
    """Return the structure's templates members can adopt."""
    return Modele.objects.filter(version__gt=0).select_related("competence").order_by("titre")


def modeles_all() -> QuerySet[Modele]:
    """Return every template of the structure (unpublished ones too)."""
    return Modele.objects.select_related("competence").order_by("titre")


def get_modele_for_user(*, user, code: str, published: bool = False) -> Modele:
    """Return a template: any for the structure's people, a published one for a member's
    administrators; 404 otherwise."""
    grants = grants_for(user)
    if not published and not grants.has("demarches.modeles"):
        raise PermissionDenied
    if published and not (
        grants.has("demarches.modeles") or grants.membre_ids("demarches.configurer") != set()
    ):
        raise PermissionDenied
    source = modeles_published() if published else modeles_all()
    found = source.filter(code=code).first()
    if found is None:
        raise Http404
    return found
