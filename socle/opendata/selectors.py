"""Reads of open data: what the public sees, what a member's staff sees."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.opendata.models import Jeu, Version


def jeux_publics(*, membre: Membre | None) -> QuerySet[Jeu]:
    """Return the datasets with at least one published version, of a member (None: the
    structure's own)."""
    return Jeu.objects.filter(membre=membre, modifie_le__isnull=False).select_related("membre")


def jeux_de_la_structure() -> QuerySet[Jeu]:
    """Return every published dataset of the platform: the members' and the structure's."""
    return Jeu.objects.filter(modifie_le__isnull=False).select_related(
        "membre", "membre__collectivite"
    )


def jeu_public(*, membre: Membre | None, slug: str) -> Jeu | None:
    """Return a published dataset by its address."""
    return jeux_publics(membre=membre).filter(slug=slug).first()


def version_courante(jeu: Jeu) -> Version | None:
    """Return the dataset's latest published version."""
    return jeu.versions.order_by("-numero").first()


def version_numero(jeu: Jeu, numero: int) -> Version | None:
    """Return one published version of the dataset."""
    return jeu.versions.filter(numero=numero).first()


def jeux_for_user(*, user, membre: Membre) -> QuerySet[Jeu]:
    """Return all the member's datasets (published or not) for its staff."""
    if not grants_for(user).has("opendata.voir", membre):
        raise PermissionDenied
    return Jeu.objects.filter(membre=membre)


def get_jeu_for_user(*, user, membre: Membre, slug: str) -> Jeu:
    """Return one of the member's datasets for its staff; 404 when it is not one."""
    found = jeux_for_user(user=user, membre=membre).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found
