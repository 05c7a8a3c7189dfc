"""The public pages' way into the observatory's search: a thin adapter.

The public pages, the read API and the exports call only the three functions below, by these
names and keywords. Today they are plain ORM reads (`icontains` over `Projet.document`, facet
counts in Python), good enough for a few thousand projects; the search engine
(`socle.observatoire.recherche` / `similaires`, full-text index on PostgreSQL and SQLite) is
plugged here by replacing each body with a call to its function and, where its answer differs,
converting it to the shapes below. Nothing else changes.

Every function reads **published** projects only: drafts never reach a public page.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from socle.observatoire import text
from socle.observatoire.models import Projet
from socle.observatoire.selectors import projets_publies
from socle.observatoire.themes import tranche_of

# The facets a search counts, in the order the page shows them.
FACETTES = ("themes", "statuts", "departement", "region", "tranche", "logiciel")


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


@dataclass(frozen=True)
class _Ligne:
    """What the facets and the ranking read of one candidate project."""

    pk: int
    score: int
    themes: frozenset[str]
    statut: str
    departement: str
    region: str
    tranche: str
    logiciels: frozenset[str]


def _candidats(q: str) -> list[_Ligne]:
    """The published projects that hold at least one word of the query, best first."""
    words = list(dict.fromkeys(text.words(q)))
    rows = projets_publies()
    if words:
        match = Q()
        for word in words:
            match |= Q(document__icontains=word)
        rows = rows.filter(match)
    logiciels: dict[int, set[str]] = {}
    for projet_id, slug in Projet.logiciels.through.objects.filter(
        projet__in=rows.values("pk")
    ).values_list("projet_id", "logiciel__slug"):
        logiciels.setdefault(projet_id, set()).add(slug)
    found = []
    for pk, document, themes, statut, departement, region, population in rows.values_list(
        "pk", "document", "themes", "statut", "departement_code", "region_code", "population"
    ):
        tokens = set((document or "").split())
        score = sum(1 for word in words if word in tokens)
        if words and not score:
            continue  # the word was only inside a longer one
        found.append(
            _Ligne(
                pk=pk,
                score=score,
                themes=frozenset(themes or ()),
                statut=statut,
                departement=departement,
                region=region,
                tranche=tranche_of(population),
                logiciels=frozenset(logiciels.get(pk, ())),
            )
        )
    return found


def _garde(ligne: _Ligne, choix: dict[str, Sequence[str] | str], sauf: str = "") -> bool:
    """Whether a candidate passes every chosen filter (but `sauf`'s)."""
    for name, chosen in choix.items():
        if name == sauf or not chosen:
            continue
        if name == "themes" and not ligne.themes & set(chosen):
            return False
        if name == "statuts" and ligne.statut not in chosen:
            return False
        if name == "departement" and ligne.departement != chosen:
            return False
        if name == "region" and ligne.region != chosen:
            return False
        if name == "tranche" and ligne.tranche != chosen:
            return False
        if name == "logiciel" and chosen not in ligne.logiciels:
            return False
    return True


def _valeurs(ligne: _Ligne, name: str) -> Iterable[str]:
    value = {
        "themes": ligne.themes,
        "statuts": (ligne.statut,),
        "departement": (ligne.departement,),
        "region": (ligne.region,),
        "tranche": (ligne.tranche,),
        "logiciel": ligne.logiciels,
    }[name]
    return (v for v in value if v)


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
    """Search the published projects: French words of `q` (any of them; more words matched
    rank higher), themes and statuses (any of those chosen), a département, a région, a
    population band, a piece of software (its slug). Return one page and the facet counts."""
    choix: dict[str, Sequence[str] | str] = {
        "themes": list(themes),
        "statuts": list(statuts),
        "departement": departement,
        "region": region,
        "tranche": tranche,
        "logiciel": logiciel,
    }
    candidats = _candidats(q)
    facettes: dict[str, dict[str, int]] = {}
    for name in FACETTES:
        counts: Counter[str] = Counter()
        for ligne in candidats:
            if _garde(ligne, choix, sauf=name):
                counts.update(_valeurs(ligne, name))
        facettes[name] = dict(counts)
    kept = [ligne for ligne in candidats if _garde(ligne, choix)]
    page = max(1, page)
    start = (page - 1) * per_page
    if q.strip():
        kept.sort(key=lambda ligne: -ligne.score)  # stable: the queryset's order breaks ties
    ids = [ligne.pk for ligne in kept[start : start + per_page]]
    by_pk = {
        projet.pk: projet
        for projet in projets_publies()
        .filter(pk__in=ids)
        .select_related("porteur")
        .prefetch_related("logiciels")
    }
    return Resultats(
        projets=[by_pk[pk] for pk in ids if pk in by_pk],
        total=len(kept),
        page=page,
        per_page=per_page,
        facettes=facettes,
    )


def projets_similaires(*, projet: Projet, limit: int = 6) -> list[Projet]:
    """Other published projects like this one: shared software, themes and title words; among
    those, one of the same département comes first."""
    themes = set(projet.themes or ())
    logiciels = set(projet.logiciels.values_list("pk", flat=True))
    titre = set(text.words(projet.titre))
    scored = []
    others = (
        projets_publies()
        .exclude(pk=projet.pk)
        .select_related("porteur")
        .prefetch_related("logiciels")
    )
    for other in others:
        score = 3 * len(themes & set(other.themes or ()))
        score += 4 * len(logiciels & {logiciel.pk for logiciel in other.logiciels.all()})
        score += 2 * len(titre & set(text.words(other.titre)))
        if not score:
            continue  # nearness alone does not make a project similar
        near = bool(projet.departement_code) and other.departement_code == projet.departement_code
        scored.append((score + int(near), other))
    scored.sort(key=lambda pair: -pair[0])
    return [other for _score, other in scored[:limit]]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, Earth radius 6371 km)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


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
    as (project, distance in km). `q` and `themes` narrow them as the search does (extra
    keywords the public page needs: when the engine has none, filter its answer by them)."""
    rows = projets_publies().filter(latitude__isnull=False, longitude__isnull=False)
    if rayon_km is not None:
        # A box around the point first (an index can serve it), the exact distance after.
        dlat = rayon_km / 111.0
        dlon = rayon_km / max(1.0, 111.0 * math.cos(math.radians(latitude)))
        rows = rows.filter(
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlon, longitude + dlon),
        )
    if q.strip() or themes:
        ids = {ligne.pk for ligne in _candidats(q) if not themes or ligne.themes & set(themes)}
        rows = rows.filter(pk__in=ids)
    found = []
    for projet in rows.select_related("porteur"):
        assert projet.latitude is not None and projet.longitude is not None
        distance = distance_km(latitude, longitude, projet.latitude, projet.longitude)
        if rayon_km is None or distance <= rayon_km:
            found.append((projet, distance))
    found.sort(key=lambda pair: (pair[1], pair[0].titre))
    return found[:limit]
