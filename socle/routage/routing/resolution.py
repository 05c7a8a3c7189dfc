"""Who holds a competence in a commune, and why: the rule (pure), and its reading for pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from socle.membres.models import Membre
from socle.routage.routing.results import (
    REASON_DEFAULT,
    REASON_LAW,
    REASON_OVERRIDE,
    REASON_TRANSFER,
    CompetenceRef,
    Holder,
)
from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
)

COMMUNE = str(Collectivite.Kind.COMMUNE)
EPCI = str(Collectivite.Kind.EPCI)
DEPARTEMENT = str(Collectivite.Kind.DEPARTEMENT)
REGION = str(Collectivite.Kind.REGION)


@dataclass(frozen=True, slots=True)
class CommuneRow:
    """What competence resolution needs to know of a commune."""

    id: int
    code: str
    nom: str
    epci_id: int | None
    epci_type: str
    departement_id: int | None
    region_id: int | None


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


def resolve(
    commune: CommuneRow,
    competence: CompetenceRule,
    transfers: Mapping[tuple[int, int], bool],
    overrides: Mapping[tuple[int, int], int],
) -> tuple[int, str]:
    """Return the id of the collectivité holding the competence for the commune, and why."""
    holder = overrides.get((commune.id, competence.id))
    if holder is not None:
        return holder, REASON_OVERRIDE
    epci = commune.epci_id
    level = competence.default_level
    if epci is not None:
        transferred = transfers.get((epci, competence.id))
        if transferred is True:
            return epci, REASON_TRANSFER
        if transferred is False:
            # The EPCI explicitly does not hold it: what it would have held stays communal.
            if level == DEPARTEMENT and commune.departement_id is not None:
                return commune.departement_id, REASON_DEFAULT
            if level == REGION and commune.region_id is not None:
                return commune.region_id, REASON_DEFAULT
            return commune.id, REASON_TRANSFER
        if commune.epci_type in competence.epci_types:
            return epci, REASON_LAW
        if level == EPCI:
            return epci, REASON_DEFAULT
    if level == DEPARTEMENT and commune.departement_id is not None:
        return commune.departement_id, REASON_DEFAULT
    if level == REGION and commune.region_id is not None:
        return commune.region_id, REASON_DEFAULT
    return commune.id, REASON_DEFAULT


def resolve_holders(commune: Collectivite, competences: Sequence[Competence]) -> dict[int, Holder]:
    """Return who holds each competence in a commune, read from the database (for pages).

    A fixed number of queries, whatever the number of competences.
    """
    epci = commune.epci
    row = CommuneRow(
        commune.pk,
        commune.code,
        commune.nom,
        commune.epci_id,
        epci.epci_type if epci is not None else "",
        commune.departement_id,
        commune.region_id,
    )
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
        epci = commune.epci
        row = CommuneRow(
            commune.pk,
            commune.code,
            commune.nom,
            commune.epci_id,
            epci.epci_type if epci is not None else "",
            commune.departement_id,
            commune.region_id,
        )
        holders[commune.pk] = resolve(row, rule, transfers, overrides)[0]
    return holders
