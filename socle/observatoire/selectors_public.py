"""Reads of the observatory's public pages: actors, software, a project's sheet.

Public means: published projects only, and contact people only while their consent holds. An
actor or a piece of software has a page once a published project names it, or once someone
recorded using it (a draft alone shows nothing). Project searches go through
`socle.observatoire.public_search`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from socle.observatoire.models import (
    Acteur,
    Contact,
    Document,
    Evaluation,
    Indicateur,
    Jalon,
    Logiciel,
    LogicielUsage,
    Projet,
    ProjetActeur,
)
from socle.observatoire.selectors import projets_publies
from socle.territoires.models import Collectivite

PUBLIE = Projet.Etat.PUBLIE


def contacts_consentants() -> QuerySet[Contact]:
    """Return the contact people whose consent to be shown holds now."""
    return Contact.objects.filter(
        consentement_le__isnull=False, consentement_retire_le__isnull=True
    )


# --- Actors --------------------------------------------------------------------------------------


def _acteurs_visibles() -> QuerySet[Acteur]:
    # Only what a published project shows: a draft's software use reveals nothing.
    return Acteur.objects.filter(
        Q(projets_portes__etat=PUBLIE) | Q(participations__projet__etat=PUBLIE)
    ).distinct()


def acteur_public(*, slug: str) -> Acteur:
    """Return an actor with a public page, or raise Http404."""
    acteur = _acteurs_visibles().filter(slug=slug).first()
    if acteur is None:
        raise Http404
    return acteur


@dataclass
class ActeurFiche:
    """What an actor's page shows."""

    portes: list[Projet]
    participations: list[ProjetActeur]
    usages: list[LogicielUsage]
    contacts: list[Contact]


def acteur_fiche(*, acteur: Acteur) -> ActeurFiche:
    """Return the published projects an actor carries or takes part in, the software it uses
    and its contact people who consented."""
    return ActeurFiche(
        portes=list(projets_publies().filter(porteur=acteur).order_by("titre")),
        participations=list(
            acteur.participations.filter(projet__etat=PUBLIE)
            .select_related("projet", "projet__porteur")
            .order_by("projet__titre", "role")
        ),
        usages=list(acteur.usages.select_related("logiciel").order_by("logiciel__nom")),
        contacts=list(contacts_consentants().filter(acteur=acteur).order_by("nom")),
    )


# --- Software ------------------------------------------------------------------------------------


def logiciels_publics() -> QuerySet[Logiciel]:
    """Return the software named by a published project or used by an actor, with how many
    published projects and actors use each (`nb_projets`, `nb_utilisateurs`)."""
    return (
        Logiciel.objects.annotate(
            nb_projets=Count("projets", filter=Q(projets__etat=PUBLIE), distinct=True),
            nb_utilisateurs=Count(
                "usages",
                filter=Q(usages__acteur__in=_acteurs_visibles().values("pk")),
                distinct=True,
            ),
        )
        .filter(Q(nb_projets__gt=0) | Q(nb_utilisateurs__gt=0))
        .order_by("nom")
    )


def logiciel_public(*, slug: str) -> Logiciel:
    """Return a piece of software with a public page, or raise Http404."""
    logiciel = logiciels_publics().filter(slug=slug).first()
    if logiciel is None:
        raise Http404
    return logiciel


@dataclass
class Usage:
    """An actor using a piece of software, with its contact person only if they consented."""

    acteur: Acteur
    referent: bool
    depuis: datetime.date | None
    contact: Contact | None


@dataclass
class LogicielFiche:
    """What a software's page shows: who uses it, who its referents are, the projects."""

    usages: list[Usage]
    referents: list[Usage]
    projets: list[Projet]


def logiciel_fiche(*, logiciel: Logiciel) -> LogicielFiche:
    """Return the software's users (referents apart) and the published projects using it."""
    usages = [
        Usage(
            acteur=usage.acteur,
            referent=usage.referent,
            depuis=usage.depuis,
            contact=usage.contact if usage.contact is not None and usage.contact.visible else None,
        )
        for usage in logiciel.usages.select_related("acteur", "contact").order_by("acteur__nom")
    ]
    return LogicielFiche(
        usages=[usage for usage in usages if not usage.referent],
        referents=[usage for usage in usages if usage.referent],
        projets=list(
            projets_publies().filter(logiciels=logiciel).select_related("porteur").order_by("titre")
        ),
    )


# --- A project's sheet ---------------------------------------------------------------------------


@dataclass
class ProjetFiche:
    """What a project's page shows besides its own fields."""

    concernees: list[Acteur]
    partenaires: list[ProjetActeur]
    logiciels: list[Logiciel]
    documents: list[Document]
    jalons: list[Jalon]
    indicateurs: list[Indicateur]
    evaluations: dict[str, Evaluation]


def projet_fiche(*, projet: Projet) -> ProjetFiche:
    """Return a published project's actors, software, public documents, milestones,
    indicators and evaluations (by kind)."""
    participations = list(projet.participations.select_related("acteur").order_by("acteur__nom"))
    return ProjetFiche(
        concernees=[p.acteur for p in participations if p.role == ProjetActeur.Role.CONCERNEE],
        partenaires=[p for p in participations if p.role != ProjetActeur.Role.CONCERNEE],
        logiciels=list(projet.logiciels.order_by("nom")),
        documents=list(projet.documents.filter(public=True)),
        jalons=list(projet.jalons.all()),
        indicateurs=list(projet.indicateurs.all()),
        evaluations={evaluation.kind: evaluation for evaluation in projet.evaluations.all()},
    )


def projets_exportables() -> QuerySet[Projet]:
    """Return the published projects with everything the exports read, by address."""
    return (
        projets_publies()
        .select_related("porteur")
        .prefetch_related(
            "logiciels",
            Prefetch(
                "participations",
                queryset=ProjetActeur.objects.select_related("acteur").order_by("acteur__nom"),
            ),
        )
        .order_by("slug")
    )


# --- What the search form offers -----------------------------------------------------------------


def valeurs_publiees(field: str) -> list[str]:
    """Return the distinct non-empty values of a project field among published projects
    ("departement_code", "region_code")."""
    values = projets_publies().exclude(**{field: ""}).values_list(field, flat=True).distinct()
    return sorted(set(values))


def logiciels_des_projets() -> list[tuple[str, str]]:
    """Return (slug, name) of the software named by published projects, by name."""
    return list(
        Logiciel.objects.filter(projets__etat=PUBLIE)
        .distinct()
        .order_by("nom")
        .values_list("slug", "nom")
    )


def noms_territoires(kind: str, codes: list[str]) -> dict[str, str]:
    """Return {code: name} of the départements or régions ("departement", "region") of the
    loaded territory among these codes."""
    return dict(Collectivite.objects.filter(kind=kind, code__in=codes).values_list("code", "nom"))
