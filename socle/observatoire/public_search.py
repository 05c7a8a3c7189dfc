"""The public pages' way into the observatory's search: a thin adapter over the search engine
(`socle.observatoire.recherche`, `socle.observatoire.similaires`).

The public pages, the read API and the exports call only the three functions below, by these
names and keywords, and read the shapes below. Every function reads **published** projects
only: drafts never reach a public page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from socle.observatoire import recherche, similaires
from socle.observatoire.models import Projet

# The facets a search counts, in the order the page shows them, and the engine's names.
FACETTES = {
    "themes": "themes",
    "statuts": "statuts",
    "departement": "departements",
    "region": "regions",
    "tranche": "tranches",
    "logiciel": "logiciels",
}
# « Anywhere »: half the earth's circumference.
PARTOUT_KM = 20_100


@dataclass
class Resultats:
    """One page of a search: its projects, how many match in all, and the facet counts.

    `facettes[name]` is {value: number of matching projects}, counted as if that facet's own
    choice were not made (so the other values of a facet stay offered with their numbers).
    """

    projets: list[Projet]
    total: int
    page: int
    per_page: int
    facettes: dict[str, dict[str, int]] = field(default_factory=dict)


def recherche_projets(
    *,
    q: str = "",
    themes: Sequence[str] = (),
    statuts: Sequence[str] = (),
    departement: str = "",
    region: str = "",
    tranche: str = "",
    logiciel: str = "",
    page: int = 1,
    per_page: int = 20,
) -> Resultats:
    """Search the published projects: every French word of `q`, themes and statuses (any of
    those chosen), a département, a région, a population band, a piece of software (its slug).
    Return one page and the facet counts."""
    found = recherche.recherche_projets(
        q=q,
        themes=tuple(themes),
        statuts=tuple(statuts),
        departement=departement,
        region=region,
        tranche=tranche,
        logiciel=logiciel,
        page=page,
        per_page=per_page,
    )
    return Resultats(
        projets=list(found.projets),
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        facettes={
            name: {f.valeur: f.nombre for f in found.facettes.get(engine, [])}
            for name, engine in FACETTES.items()
        },
    )


def projets_similaires(*, projet: Projet, limit: int = 6) -> list[Projet]:
    """The published projects most like this one (text, themes, software, place, size)."""
    return similaires.projets_similaires(projet=projet, limit=limit)


def projets_pres_de(
    *,
    latitude: float,
    longitude: float,
    rayon_km: float | None = None,
    limit: int = 50,
    q: str = "",
    themes: Sequence[str] = (),
) -> list[tuple[Projet, float]]:
    """Published projects whose carrier is within `rayon_km` (None: anywhere), nearest first,
    as (project, distance in km); `q` and `themes` narrow them as the search does."""
    found = recherche.projets_pres_de(
        latitude=latitude,
        longitude=longitude,
        rayon_km=PARTOUT_KM if rayon_km is None else rayon_km,
        q=q,
        themes=tuple(themes),
        limit=limit,
    )
    return [(projet, getattr(projet, "distance_km")) for projet in found]  # noqa: B009 - set by the engine
