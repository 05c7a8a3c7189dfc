"""Who holds a competence in a commune, read from the database for pages (the rule itself is
socle.territoires.rules)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from socle.membres.models import Membre
from socle.routage.routing.results import CompetenceRef, Holder
from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
)
from socle.territoires.rules import (  # noqa: F401 - the rule, re-exported for the router
    COMMUNE,
    DEPARTEMENT,
    EPCI,
    REGION,
    CommuneRow,
    resolve,
)


@dataclass(frozen=True, slots=True)
class CompetenceRule:
    """A competence of the catalogue and its default holders."""

    id: int
    code: str
    nom: str
    default_level: str
    epci_types: frozenset[str]
    ref: CompetenceRef
    # Where its answers are cached in a router.
    position: int = 0


def resolve_holders(commune: Collectivite, competences: Sequence[Competence]) -> dict[int, Holder]:
    """Return who holds each competence in a commune, read from the database (for pages).

    A fixed number of queries, whatever the number of competences.
    """
    row = CommuneRow.of(commune)
    transfers = {
        (epci_id, competence_id): transferred
        for epci_id, competence_id, transferred in CompetenceTransfer.objects.filter(
            epci_id=commune.epci_id
        ).values_list("epci_id", "competence_id", "transferred")
    }
    overrides = {
        (commune_id, competence_id): holder_id
        for commune_id, competence_id, holder_id in CompetenceOverride.objects.filter(
            commune=commune
        ).values_list("commune_id", "competence_id", "holder_id")
    }
    holder_ids = {}
    for competence in competences:
        rule = CompetenceRule(
            competence.pk,
            competence.code,
            competence.nom,
            competence.default_level,
            frozenset(competence.epci_types or ()),
            CompetenceRef(competence.code, competence.nom),
        )
        holder_ids[competence.pk] = resolve(row, rule, transfers, overrides)[0]
    found = Collectivite.objects.in_bulk(set(holder_ids.values()))
    slugs = dict(
        Membre.objects.filter(collectivite_id__in=found, active=True).values_list(
            "collectivite_id", "slug"
        )
    )
    return {
        competence_id: Holder(
            found[pk].kind, found[pk].code, found[pk].nom, pk in slugs, slugs.get(pk)
        )
        for competence_id, pk in holder_ids.items()
    }


def resolve_holder(commune: Collectivite, competence: Competence) -> Holder:
    """Return who holds one competence in a commune, read from the database (for pages)."""
    return resolve_holders(commune, [competence])[competence.pk]


def holder_ids_under_rules(
    communes: Sequence[Collectivite],
    competence: Competence,
    *,
    transfers: Mapping[tuple[int, int], bool],
    overrides: Mapping[tuple[int, int], int],
) -> dict[int, int]:
    """Return, for each commune, the id of the holder the given rules would give (read-only).

    The rules are passed in, not read: a caller compares the rules in force with proposed ones
    (the impact of a change, before it is saved). The communes need their EPCI loaded.
    """
    rule = CompetenceRule(
        competence.pk,
        competence.code,
        competence.nom,
        competence.default_level,
        frozenset(competence.epci_types or ()),
        CompetenceRef(competence.code, competence.nom),
    )
    holders = {}
    for commune in communes:
        row = CommuneRow.of(commune)
        holders[commune.pk] = resolve(row, rule, transfers, overrides)[0]
    return holders
