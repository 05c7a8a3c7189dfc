"""Writes on the territory's competence rules; each bumps what routing depends on.

Who may change a rule, and the audit of it, is `socle.membres.services`'s.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
    RoutingVersion,
)


def routing_rules_changed() -> None:
    """Tell every process that competence rules, members or services changed."""
    RoutingVersion.objects.get_or_create(pk=1)
    RoutingVersion.objects.filter(pk=1).update(rules=F("rules") + 1)


@transaction.atomic
def competence_transfer_write(
    *, epci: Collectivite, competence: Competence, transferred: bool | None
) -> None:
    """Record whether an EPCI holds a competence for its communes; None returns to the law."""
    if epci.kind != Collectivite.Kind.EPCI:
        raise ValidationError(_("Seule une intercommunalité reçoit des transferts."))
    if transferred is None:
        CompetenceTransfer.objects.filter(epci=epci, competence=competence).delete()
    else:
        CompetenceTransfer.objects.update_or_create(
            epci=epci, competence=competence, defaults={"transferred": transferred}
        )
    routing_rules_changed()


@transaction.atomic
def competence_override_write(
    *, commune: Collectivite, competence: Competence, holder: Collectivite | None
) -> None:
    """Say who holds a competence for one commune; None returns to the defaults."""
    if commune.kind != Collectivite.Kind.COMMUNE:
        raise ValidationError(_("Une exception se définit pour une commune."))
    if holder is None:
        CompetenceOverride.objects.filter(commune=commune, competence=competence).delete()
    else:
        allowed = {commune.pk, commune.epci_id, commune.departement_id, commune.region_id}
        if holder.pk not in allowed:
            raise ValidationError(
                _(
                    "Le titulaire doit être la commune, son intercommunalité, "
                    "son département ou sa région."
                )
            )
        CompetenceOverride.objects.update_or_create(
            commune=commune, competence=competence, defaults={"holder": holder}
        )
    routing_rules_changed()


@transaction.atomic
def competence_catalogue_sync() -> int:
    """Create or update the competences of the catalogue in code; return how many there are."""
    from socle.territoires.competences import CATALOGUE

    for code, nom, level, epci_types, description in CATALOGUE:
        Competence.objects.update_or_create(
            code=code,
            defaults={
                "nom": nom,
                "default_level": level,
                "epci_types": epci_types,
                "description": description,
            },
        )
    RoutingVersion.objects.get_or_create(pk=1)
    routing_rules_changed()
    return len(CATALOGUE)
