"""« Projets similaires »: the published projects most like a given one.

Every published project is scored against the project (on the columns of `recherche.colonnes()`,
the text part from the full-text index), and the best `limit` are returned. The score, between
0 and 1, is the weighted sum (`WEIGHTS`) of five parts, each between 0 and 1:

- texte (0.40): the share of the project's *distinctive words* the candidate holds, each weighed
  by its idf: Σ idf(words held) / Σ idf(all distinctive words). The distinctive words are the
  stems of the project's title (counted twice), summary and description, ranked by tf × idf
  with idf = ln((N + 1) / (df + 1)) (N published projects, df those holding the word); words
  held by more than `COMMON_SHARE` of the projects and more than `COMMON_MIN` of them
  (« numérique », « projet »…), or by no other project, are left out, and the
  `DISTINCTIVE_WORDS` best kept;
- themes (0.20): the Jaccard index of the two sets of themes, |A ∩ B| / |A ∪ B|;
- logiciels (0.15): the Jaccard index of the two sets of software (0 when either uses none);
- proximite (0.15): exp(−d / `DISTANCE_KM`), d the haversine distance between the carriers in
  km: 1 at the same place, 0.37 at 100 km, 0.05 at 300 km (0 when a position is unknown);
- taille (0.10): 1 − |ln(p₁ / p₂)| / ln(`SIZE_RATIO`), floored at 0, p the carriers'
  populations: 1 for the same size, 0.5 for ten times bigger or smaller, 0 from a hundred
  times (0 when a population is unknown).

Ties go to the newest publication. The project itself and unpublished projects never show; the
project may be a draft (a contributor's page may suggest what others did).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from socle.observatoire import text
from socle.observatoire.models import Projet
from socle.observatoire.recherche import (
    Colonnes,
    colonnes,
    distances_km,
    ids_par_mot,
    mots_documents,
    projets_dans_l_ordre,
    themes_mask,
)

WEIGHTS = {"texte": 0.40, "themes": 0.20, "logiciels": 0.15, "proximite": 0.15, "taille": 0.10}
DISTANCE_KM = 100.0
SIZE_RATIO = 100.0
DISTINCTIVE_WORDS = 10
COMMON_SHARE = 0.05
COMMON_MIN = 10  # a word held by this many other projects or fewer is never « common »

# Number of set bits of every 16-bit value (themes are a bit mask of 10 bits).
_POPCOUNT = np.array([bin(value).count("1") for value in range(1 << 16)], dtype=np.float64)


def distinctive_words(projet: Projet, *, published: int) -> dict[str, float]:
    """Return the project's distinctive words and their idf (see the module's docstring);
    `published` is the number of published projects."""
    counts = Counter(
        text.words(projet.titre) * 2 + text.words(projet.resume) + text.words(projet.description)
    )
    documents = mots_documents(counts)
    own = 1 if projet.etat == Projet.Etat.PUBLIE else 0
    scored = []
    for word, tf in counts.items():
        df = documents.get(word, 0)
        if df <= own or df - own > max(COMMON_SHARE * published, COMMON_MIN):
            continue
        idf = math.log((published + 1) / (df + 1))
        scored.append((tf * idf, word, idf))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {word: idf for _score, word, idf in scored[:DISTINCTIVE_WORDS]}


def score_parts(col: Colonnes, projet: Projet, words: dict[str, float]) -> dict[str, np.ndarray]:
    """Return each part of the score (0…1) of every published project against `projet`, and
    the distances in km (NaN when unknown)."""
    n = col.n
    texte = np.zeros(n, dtype=np.float64)
    total_idf = sum(words.values())
    if total_idf:
        for word, ids in ids_par_mot(words).items():
            texte[col.rows_of(ids)] += words[word]
        texte /= total_idf

    source_themes = themes_mask(projet.themes or [])
    union = _POPCOUNT[(col.themes | source_themes) & 0xFFFF]
    shared = _POPCOUNT[(col.themes & source_themes) & 0xFFFF]
    themes = np.divide(shared, union, out=np.zeros(n), where=union > 0)

    source_software = np.array(
        sorted(projet.logiciels.values_list("pk", flat=True)), dtype=np.int64
    )
    logiciels = np.zeros(n, dtype=np.float64)
    if source_software.size:
        held = np.isin(col.logiciels, source_software)
        common = np.bincount(col.logiciel_row[held], minlength=n).astype(np.float64)
        either = col.logiciel_count + source_software.size - common
        logiciels = np.divide(
            common, either, out=np.zeros(n), where=(col.logiciel_count > 0) & (either > 0)
        )

    if projet.latitude is not None and projet.longitude is not None:
        distance = distances_km(projet.latitude, projet.longitude, col.latitude, col.longitude)
        proximite = np.nan_to_num(np.exp(-distance / DISTANCE_KM), nan=0.0)
    else:
        distance = np.full(n, np.nan)
        proximite = np.zeros(n)

    if projet.population:
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.abs(np.log(col.population / projet.population))
            taille = np.clip(1 - ratio / math.log(SIZE_RATIO), 0.0, 1.0)
        taille = np.nan_to_num(taille, nan=0.0)
    else:
        taille = np.zeros(n)
    return {
        "texte": texte,
        "themes": themes,
        "logiciels": logiciels,
        "proximite": proximite,
        "taille": taille,
        "distance_km": distance,
    }


def projets_similaires(*, projet: Projet, limit: int = 6) -> list[Projet]:
    """Return the published projects most similar to `projet`, best first (see the module's
    docstring), each with `similarite` (0…1), `similarite_detail` ({"texte", "themes",
    "logiciels", "proximite", "taille"}, each 0…1) and `distance_km` (None when a position is
    unknown)."""
    limit = min(max(int(limit), 1), 50)
    col = colonnes()
    if not col.n:
        return []
    words = distinctive_words(projet, published=col.n)
    parts = score_parts(col, projet, words)
    score = sum(weight * parts[name] for name, weight in WEIGHTS.items())
    assert isinstance(score, np.ndarray)
    score[col.rows_of([projet.pk])] = -1.0
    count = min(limit, col.n)
    # Every row scoring at least the count-th best score (ties included), then best score
    # first, the newest publication among equals.
    threshold = -np.partition(-score, count - 1)[count - 1]
    best = np.flatnonzero((score >= threshold) & (score >= 0))
    best = best[np.lexsort((col.newest_rank[best], -score[best]))][:count]
    projets = projets_dans_l_ordre(
        [(int(col.ids[row]), float(score[row])) for row in best], "similarite"
    )
    rows = {int(col.ids[row]): row for row in best}
    for similar in projets:
        row = rows[similar.pk]
        similar.similarite_detail = {  # type: ignore[attr-defined]
            name: float(parts[name][row]) for name in WEIGHTS
        }
        distance = parts["distance_km"][row]
        similar.distance_km = None if np.isnan(distance) else float(distance)  # type: ignore[attr-defined]
    return projets
