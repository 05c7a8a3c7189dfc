"""Reads of the observatory, each taking the user (or stating it is public) explicitly."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.text import slugify

from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.observatoire.models import (
    Acteur,
    Contact,
    Document,
    Logiciel,
    LogicielUsage,
    Projet,
    ProjetActeur,
    ProjetContact,
    Revision,
)


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


# --- Contribution and review screens -----------------------------------------------------------


def projets_back_office(*, membre: Membre) -> QuerySet[Projet]:
    """Return a member's projects for its back office, newest change first, with the number
    of their changes waiting for review (`en_attente`)."""
    return (
        projets_of_membre(membre=membre)
        .annotate(en_attente=Count("revisions", filter=Q(revisions__etat=Revision.Etat.EN_ATTENTE)))
        .order_by("-modifie_le", "-pk")
    )


def revisions_en_attente_of(*, projet: Projet) -> QuerySet[Revision]:
    """Return a project's changes waiting for review, oldest first."""
    return (
        projet.revisions.filter(etat=Revision.Etat.EN_ATTENTE)
        .select_related("auteur")
        .order_by("cree_le", "pk")
    )


def get_revision_for_reviewer(*, user, pk: int) -> Revision:
    """Return a change for the structure's review, or raise Http404."""
    if not grants_for(user).has("observatoire.relire"):
        raise Http404
    revision = (
        Revision.objects.select_related("projet", "projet__membre", "auteur", "relue_par")
        .filter(pk=pk)
        .first()
    )
    if revision is None:
        raise Http404
    return revision


def participations_of(*, projet: Projet) -> QuerySet[ProjetActeur]:
    """Return the actors taking part in a project (other than its carrier)."""
    return projet.participations.select_related("acteur").order_by("role", "acteur__nom")


def contacts_of_projet(*, projet: Projet) -> QuerySet[ProjetContact]:
    """Return every contact person named for a project, consented or not (back office)."""
    return projet.contacts.select_related("contact", "contact__acteur").order_by("contact__nom")


def contacts_of_acteur(*, acteur: Acteur) -> QuerySet[Contact]:
    """Return the contact people of an actor."""
    return acteur.contacts.order_by("nom")


def documents_of_projet(*, projet: Projet) -> QuerySet[Document]:
    """Return a project's documents, in the order they were added (back office)."""
    return projet.documents.select_related("cree_par").order_by("cree_le", "pk")


def get_document_for_user(*, user, projet: Projet, pk: int) -> Document:
    """Return a document of a project the user may edit (checked by the caller), or 404."""
    document = projet.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def document_for_download(*, user, slug: str, pk: int) -> tuple[Document, bool]:
    """Return a document to serve and whether anyone may read it.

    Public documents of published projects are for anyone; the others only for the project's
    contributors and the structure's reviewers; anyone else gets a 404 (not a 403: a private
    document is not even said to exist).
    """
    document = Document.objects.select_related("projet").filter(pk=pk, projet__slug=slug).first()
    if document is None:
        raise Http404
    projet = document.projet
    public = document.public and projet.etat == Projet.Etat.PUBLIE
    if public:
        return document, True
    grants = grants_for(user)
    if grants.has("observatoire.relire"):
        return document, False
    if projet.membre_id is not None and grants.has("observatoire.contribuer", projet.membre_id):
        return document, False
    raise Http404


def acteurs_search(*, q: str, limit: int = 20) -> list[Acteur]:
    """Find actors by name (letter case and accents aside) or SIREN/SIRET."""
    q = (q or "").strip()
    if not q:
        return []
    digits = re.sub(r"\s", "", q)
    folded = slugify(q)
    condition = Q(nom__icontains=q)
    if folded:
        condition |= Q(slug__contains=folded)
    if digits.isdigit() and len(digits) >= 9:
        condition |= Q(siren=digits[:9]) | Q(siret=digits)
    return list(Acteur.objects.filter(condition).order_by("nom")[:limit])


def acteurs_list(*, user, q: str = "") -> QuerySet[Acteur]:
    """Return the actors for the structure's back office (optionally those matching `q`)."""
    if not grants_for(user).has("observatoire.relire"):
        raise Http404
    rows = Acteur.objects.select_related("membre").annotate(
        nb_projets=Count("projets_portes", distinct=True)
    )
    q = (q or "").strip()
    if q:
        condition = Q(nom__icontains=q)
        if slugify(q):
            condition |= Q(slug__contains=slugify(q))
        rows = rows.filter(condition)
    return rows.order_by("nom", "pk")


def logiciels_registry(*, user) -> QuerySet[Logiciel]:
    """Return the software registry with how many projects and actors use each one."""
    if not grants_for(user).has("observatoire.relire"):
        raise Http404
    return Logiciel.objects.annotate(
        nb_projets=Count("projets", distinct=True),
        nb_usages=Count("usages", distinct=True),
        nb_referents=Count("usages", filter=Q(usages__referent=True), distinct=True),
    ).order_by("nom", "pk")


def logiciels_noms() -> list[str]:
    """Return the names of the registry's software (suggestions when naming one)."""
    return list(Logiciel.objects.order_by("nom").values_list("nom", flat=True)[:2000])


def usages_of_acteur(*, acteur: Acteur | None) -> dict[int, LogicielUsage]:
    """Return an actor's uses of software, by software id."""
    if acteur is None:
        return {}
    return {usage.logiciel_id: usage for usage in acteur.usages.all()}


def acteur_get(*, pk: int) -> Acteur | None:
    """Return an actor (the registry of actors is public), or None."""
    return Acteur.objects.filter(pk=pk).first()


def acteur_of_membre(*, membre: Membre) -> Acteur | None:
    """Return the actor of a member, when it was made already."""
    return (
        Acteur.objects.filter(Q(membre=membre) | Q(collectivite_id=membre.collectivite_id))
        .order_by("pk")
        .first()
    )
