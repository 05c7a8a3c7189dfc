"""What a collectivité holds in its territory (the competences, by the rule routing applies),
and its outline: reads for the members' back office, which sits below routing."""

from __future__ import annotations

from typing import NamedTuple

import shapely

from socle.territoires.models import (
    Collectivite,
    CommuneGeometry,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
)
from socle.territoires.rules import COMMUNE, DEPARTEMENT, EPCI, REGION, CommuneRow, resolve


class _Rule(NamedTuple):
    id: int
    default_level: str
    epci_types: frozenset[str]


# Outlines sent to the browser are simplified to about 20 m: enough to draw a sector on.
OUTLINE_TOLERANCE = 0.0002


def _holder_id(commune: Collectivite, competence: Competence, transfers, overrides):
    """Who holds `competence` in `commune`: the rule routing applies (socle.territoires.rules)."""
    row = CommuneRow.of(commune)
    rule = _Rule(competence.pk, competence.default_level, frozenset(competence.epci_types or ()))
    return resolve(row, rule, transfers, overrides)[0]


def _communes_served_by(collectivite: Collectivite):
    """The active communes where `collectivite` may hold a competence."""
    communes = Collectivite.objects.filter(kind=COMMUNE, active=True).select_related("epci")
    if collectivite.kind == COMMUNE:
        return communes.filter(pk=collectivite.pk)
    field = {EPCI: "epci", DEPARTEMENT: "departement", REGION: "region"}[collectivite.kind]
    overridden = CompetenceOverride.objects.filter(holder=collectivite).values("commune_id")
    return communes.filter(**{field: collectivite}) | communes.filter(pk__in=overridden)


def competences_held_by(collectivite: Collectivite) -> set[int]:
    """Return the ids of the competences `collectivite` holds in at least one commune.

    A commune holds what routing gives the commune itself; an EPCI what it holds for one of its
    communes, by law, by transfer or by an exception; a département or région likewise.
    """
    communes = list(_communes_served_by(collectivite))
    competences = list(Competence.objects.all())
    epci_ids = {commune.epci_id for commune in communes if commune.epci_id is not None}
    transfers = {
        (epci_id, competence_id): transferred
        for epci_id, competence_id, transferred in CompetenceTransfer.objects.filter(
            epci_id__in=epci_ids
        ).values_list("epci_id", "competence_id", "transferred")
    }
    overrides = {
        (commune_id, competence_id): holder_id
        for commune_id, competence_id, holder_id in CompetenceOverride.objects.filter(
            commune__in=[commune.pk for commune in communes]
        ).values_list("commune_id", "competence_id", "holder_id")
    }
    held: set[int] = set()
    for commune in communes:
        for competence in competences:
            if competence.pk in held:
                continue
            if _holder_id(commune, competence, transfers, overrides) == collectivite.pk:
                held.add(competence.pk)
    return held


def outline_geojson(collectivite: Collectivite) -> str:
    """The boundary of a collectivité as GeoJSON (simplified), or "" when it is not known.

    A commune's own boundary; for an EPCI, département or région, the union of its communes'.
    """
    if collectivite.kind == COMMUNE:
        rows = CommuneGeometry.objects.filter(commune=collectivite)
    else:
        field = {EPCI: "epci", DEPARTEMENT: "departement", REGION: "region"}[collectivite.kind]
        rows = CommuneGeometry.objects.filter(
            **{f"commune__{field}": collectivite, "commune__active": True}
        )
    geometries = [shapely.from_wkb(bytes(wkb)) for wkb in rows.values_list("wkb", flat=True)]
    if not geometries:
        return ""
    outline = shapely.union_all(geometries).simplify(OUTLINE_TOLERANCE)
    return str(shapely.to_geojson(shapely.set_precision(outline, 0.00001)))
