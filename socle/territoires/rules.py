"""Who holds a competence in a commune, and why: the rule of the law, transfers and exceptions.

Pure and Django-free at run time: the router (`socle.routage.routing`) applies it to every point,
and the members' back office to tell which competences a member holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from socle.territoires.models import Collectivite

# Why a collectivité holds the competence (codes shown in the routing API).
REASON_OVERRIDE = "override"
REASON_TRANSFER = "transfert"
REASON_LAW = "loi"
REASON_DEFAULT = "defaut"

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

    @classmethod
    def of(cls, commune: Collectivite) -> CommuneRow:
        """Read a commune (its `epci` loaded with it) as the rule needs it."""
        epci = commune.epci
        return cls(
            commune.pk,
            commune.code,
            commune.nom,
            commune.epci_id,
            epci.epci_type if epci is not None else "",
            commune.departement_id,
            commune.region_id,
        )


class RuleOf(Protocol):
    """What the rule needs of a competence: its id, default level and EPCI types by law."""

    @property
    def id(self) -> int: ...

    @property
    def default_level(self) -> str: ...

    @property
    def epci_types(self) -> frozenset[str]: ...


def resolve(
    commune: CommuneRow,
    competence: RuleOf,
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
