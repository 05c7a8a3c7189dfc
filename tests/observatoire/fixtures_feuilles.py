"""Fixtures and helpers of the roadmap, coherence and maturity tests.

Import what a test module uses: `from tests.observatoire.fixtures_feuilles import …`.
"""

from __future__ import annotations

from socle.membres.models import Membre
from socle.membres.services import membre_onboard
from socle.observatoire import feuilles, maturite
from socle.observatoire.models import Contact, MaturiteEnonce
from socle.observatoire.services import (
    acteur_ensure_membre,
    contact_consent_give,
    contact_create,
    logiciel_ensure,
    projet_contact_add,
    projet_create,
    projet_logiciels_set,
)
from socle.territoires.models import Collectivite


def roadmap_with_software(
    user, membre: Membre, *, axe: str, projet: str, logiciel: str, themes=("services-usagers",)
):
    """Give the member's roadmap an axis with one planned project using `logiciel`.

    Return (axis, project)."""
    publik = logiciel_ensure(acting_user=None, nom=logiciel)
    created = projet_create(
        acting_user=user, membre=membre, titre=projet, themes=list(themes), statut="en_projet"
    )
    projet_logiciels_set(acting_user=user, projet=created, logiciels=[publik])
    feuilles.feuille_update(acting_user=user, membre=membre, ambition=f"Ambition de {membre}.")
    axis = feuilles.axe_create(acting_user=user, membre=membre, titre=axe, themes=list(themes))
    feuilles.axe_projet_attach(acting_user=user, axe=axis, projet=created)
    return axis, created


def consented_contact(user, membre: Membre, projet, *, nom: str, email: str) -> Contact:
    """A contact person of the member's actor, named for the project, who consented."""
    contact = contact_create(
        acting_user=user, acteur=acteur_ensure_membre(membre=membre), nom=nom, email=email
    )
    contact_consent_give(contact=contact)
    projet_contact_add(acting_user=user, projet=projet, contact=contact)
    return contact


def unconsented_contact(user, membre: Membre, projet, *, nom: str, email: str) -> Contact:
    """A contact person named for the project, asked but who never answered."""
    contact = contact_create(
        acting_user=user, acteur=acteur_ensure_membre(membre=membre), nom=nom, email=email
    )
    projet_contact_add(acting_user=user, projet=projet, contact=contact)
    return contact


def answers(level_of=lambda enonce: 3) -> dict[str, int | str | None]:
    """Answers to every active statement: `level_of(statement)` (an int, or "nc")."""
    return {str(e.pk): level_of(e) for e in MaturiteEnonce.objects.filter(actif=True)}


def comparable_members(pessac: Membre, count: int, *, offset: int = 0) -> list[Membre]:
    """Make `count` Gironde communes members of the same population band as Pessac."""
    taken = set(Membre.objects.values_list("collectivite_id", flat=True))
    communes = (
        Collectivite.objects.filter(kind="commune", departement__code="33", active=True)
        .exclude(pk__in=taken)
        .order_by("code")[offset : offset + count]
    )
    membres = []
    for commune in communes:
        commune.population = pessac.collectivite.population
        commune.save(update_fields=["population"])
        membres.append(
            membre_onboard(
                acting_user=None,
                collectivite=commune,
                slug=f"membre-{commune.code}",
                admin_email=None,
            )
        )
    return membres


def diagnose(membre: Membre, level: int):
    """Record a diagnostic of the member with every statement at `level` (platform write)."""
    return maturite.diagnostic_create(
        acting_user=None, membre=membre, reponses=answers(lambda _e: level)
    )
