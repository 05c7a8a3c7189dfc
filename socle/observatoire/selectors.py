"""Reads of the observatory, each taking the user (or stating it is public) explicitly."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.observatoire.models import Contact, Projet, Revision


def projets_publies() -> QuerySet[Projet]:
    """Return the published projects (what anyone may read)."""
    return Projet.objects.filter(etat=Projet.Etat.PUBLIE)


def projet_public(*, slug: str) -> Projet:
    """Return a published project by its address, or raise Http404."""
    projet = projets_publies().select_related("porteur", "membre").filter(slug=slug).first()
    if projet is None:
        raise Http404
    return projet


def projets_of_membre(*, membre: Membre) -> QuerySet[Projet]:
    """Return every project a member contributes (drafts included), for its back office."""
    return Projet.objects.filter(membre=membre).select_related("porteur")


def get_projet_for_user(*, user, membre: Membre | None, pk: int) -> Projet:
    """Return a project the user may edit: one of the member's (its contributors), or any
    (the structure's reviewers); else raise Http404."""
    grants = grants_for(user)
    rows = Projet.objects.select_related("porteur", "membre", "cree_par")
    if membre is not None:
        rows = rows.filter(membre=membre)
        if not (grants.has("observatoire.contribuer", membre) or grants.has("observatoire.relire")):
            raise Http404
    elif not grants.has("observatoire.relire"):
        raise Http404
    projet = rows.filter(pk=pk).first()
    if projet is None:
        raise Http404
    return projet


def projets_a_relire() -> QuerySet[Projet]:
    """Return the projects waiting for the structure's review, oldest first."""
    return (
        Projet.objects.filter(etat=Projet.Etat.SOUMIS)
        .select_related("membre", "porteur", "cree_par")
        .order_by("soumis_le", "pk")
    )


def revisions_en_attente() -> QuerySet[Revision]:
    """Return the changes of published projects waiting for review, oldest first."""
    return (
        Revision.objects.filter(etat=Revision.Etat.EN_ATTENTE)
        .select_related("projet", "projet__membre", "auteur")
        .order_by("cree_le", "pk")
    )


def projet_historique(*, projet: Projet) -> QuerySet[Revision]:
    """Return a project's history of changes, newest first."""
    return projet.revisions.select_related("auteur", "relue_par")


def contacts_visibles(*, projet: Projet) -> list[Contact]:
    """Return the project's contact people whose consent holds (what public pages may show)."""
    return [
        link.contact
        for link in projet.contacts.select_related("contact", "contact__acteur")
        if link.contact.visible
    ]
