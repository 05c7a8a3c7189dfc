"""The maturity diagnostic: a member places itself from level 0 to 5 on statements grouped by
the ten themes; a theme's level is the mean of its answered statements; the member compares
itself with the median of collectivités of its kind and size band, shown only from
`MIN_GROUP` of them; every diagnostic stays in its history.

Rules (docs/observatoire.md):

- Every active statement gets an answer: a level 0–5, or « non concerné » (stored as None)
  for a statement that does not apply (a commune without the competence of digital
  infrastructure…). A diagnostic with no level at all is refused. Every error is reported in
  one round.
- A theme's level = mean of its statements answered with a level, rounded half up to one
  decimal; a theme whose statements are all « non concerné » has no level (absent from
  `niveaux`, never shown as 0).
- The comparison group of a diagnostic = the latest diagnostic of each *other* member, when
  it was made with the same kind of collectivité and population band (`themes.tranche_of`).
  With fewer than `MIN_GROUP` such members nothing is shown, not even their number; a theme's
  median is shown only when `MIN_GROUP` of them have a level for it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.membres.models import Membre
from socle.membres.permissions import grants_for, permission_check
from socle.membres.services import acting_person, audit_record
from socle.observatoire.models import Diagnostic, MaturiteEnonce
from socle.observatoire.themes import THEMES, tranche_of

# A comparison is shown only over at least this many other collectivités.
MIN_GROUP = 5

NIVEAU_MIN = 0
NIVEAU_MAX = 5
# The answer for a statement that does not apply to the collectivité.
NON_CONCERNE = "nc"

NIVEAUX: list[tuple[int, Any]] = [
    (0, gettext_lazy("Rien n’est engagé")),
    (1, gettext_lazy("En réflexion")),
    (2, gettext_lazy("Premières actions")),
    (3, gettext_lazy("En déploiement")),
    (4, gettext_lazy("Maîtrisé")),
    (5, gettext_lazy("Exemplaire")),
]

TEXTE_MAX = 500
AIDE_MAX = 2000


def niveau_label(level: int | None) -> str:
    """Return the French name of a level (« Non concerné » for None)."""
    if level is None:
        return _("Non concerné")
    return str(dict(NIVEAUX).get(level, level))


# --- Diagnostics -------------------------------------------------------------------------------


def _level_of(value: Any) -> tuple[int | None, str | None]:
    """Read one answer: (level, None), (None, None) for « non concerné », or (None, error)."""
    if value is None or value == NON_CONCERNE:
        return None, None
    if isinstance(value, bool):
        return None, _("Choisissez un niveau de 0 à 5, ou « Non concerné ».")
    try:
        level = int(str(value).strip())
    except (TypeError, ValueError):
        return None, _("Choisissez un niveau de 0 à 5, ou « Non concerné ».")
    if not NIVEAU_MIN <= level <= NIVEAU_MAX:
        return None, _("Le niveau est compris entre 0 et 5 (reçu : %(n)s).") % {"n": level}
    return level, None


def field_name(enonce_id: int | str) -> str:
    """Return the form field (and error key) of a statement."""
    return f"enonce_{enonce_id}"


def _round(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def niveaux_of(reponses: dict[str, int | None], enonces: list[MaturiteEnonce]) -> dict[str, float]:
    """Return each theme's level: the mean of its statements answered with a level, rounded half
    up to one decimal; a theme without any level is left out."""
    by_theme: dict[str, list[int]] = {}
    for enonce in enonces:
        level = reponses.get(str(enonce.pk))
        if level is not None:
            by_theme.setdefault(enonce.theme, []).append(level)
    return {
        theme: _round(Decimal(sum(levels)) / Decimal(len(levels)))
        for theme, levels in by_theme.items()
        if theme in THEMES and levels
    }


def niveau_moyen(niveaux: dict[str, float]) -> float | None:
    """Return the mean of a diagnostic's theme levels (one decimal), None without any."""
    values = [Decimal(str(value)) for value in niveaux.values() if value is not None]
    return _round(sum(values, Decimal(0)) / len(values)) if values else None


def reponses_clean(reponses: dict) -> tuple[dict[str, int | None], list[MaturiteEnonce]]:
    """Check a whole questionnaire in one round: every active statement answered (0–5 or
    « non concerné »), no unknown statement, at least one level. Return the answers keyed by
    statement id (str) and the active statements; raise ValidationError with every error,
    keyed by `field_name(id)` (unknown statements: the whole form's)."""
    enonces = list(MaturiteEnonce.objects.filter(actif=True))
    active = {str(enonce.pk): enonce for enonce in enonces}
    given = {str(key).removeprefix("enonce_"): value for key, value in (reponses or {}).items()}
    errors: dict[str, list[str]] = {}
    unknown = sorted(key for key in given if key not in active)
    if unknown:
        errors.setdefault("__all__", []).append(
            _("Énoncé inconnu ou retiré du questionnaire : %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    clean: dict[str, int | None] = {}
    for key, enonce in active.items():
        if key not in given or given[key] in ("", []):
            errors[field_name(key)] = [
                _("Répondez à « %(texte)s » : un niveau de 0 à 5, ou « Non concerné ».")
                % {"texte": enonce.texte}
            ]
            continue
        level, error = _level_of(given[key])
        if error:
            errors[field_name(key)] = [error]
        else:
            clean[key] = level
    if not errors and enonces and all(level is None for level in clean.values()):
        errors["__all__"] = [
            _("Placez la collectivité sur au moins un énoncé : tout est « Non concerné ».")
        ]
    if not enonces:
        errors["__all__"] = [_("Le questionnaire n’a aucun énoncé : la structure doit le régler.")]
    if errors:
        raise ValidationError(errors)
    return clean, enonces


def _population(membre: Membre) -> int | None:
    """The member's population: its collectivité's, else its observatory actor's (an EPCI's
    is the sum of its communes')."""
    if membre.collectivite.population is not None:
        return membre.collectivite.population
    acteur = getattr(membre, "acteur_observatoire", None)
    return acteur.population if acteur is not None else None


@transaction.atomic
def diagnostic_create(*, acting_user, membre: Membre, reponses: dict) -> Diagnostic:
    """Record a maturity diagnostic of the member from its answers {statement id: level 0–5 or
    None / "nc" for « non concerné »}; its levels per theme and its comparison group (kind,
    population band) are fixed now."""
    permission_check(acting_user, "observatoire.diagnostiquer", membre)
    clean, enonces = reponses_clean(reponses)
    collectivite = membre.collectivite
    diagnostic = Diagnostic.objects.create(
        membre=membre,
        reponses=clean,
        niveaux=niveaux_of(clean, enonces),
        type_collectivite=collectivite.kind,
        tranche=tranche_of(_population(membre)),
        cree_par=acting_person(acting_user),
    )
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="diagnostic.creation",
        target=diagnostic,
        details={"niveaux": diagnostic.niveaux},
    )
    return diagnostic


# --- The questionnaire's configuration (the structure) -----------------------------------------


def _enonce_clean(theme: str, texte: str, aide: str, ordre) -> dict[str, Any]:
    errors: dict[str, str] = {}
    texte = (texte or "").strip()
    aide = (aide or "").strip()
    if theme not in THEMES:
        errors["theme"] = _("Choisissez un thème dans la liste.")
    if not texte:
        errors["texte"] = _("Écrivez l’énoncé.")
    elif len(texte) > TEXTE_MAX:
        errors["texte"] = _("L’énoncé tient en %(max)d caractères au plus.") % {"max": TEXTE_MAX}
    if len(aide) > AIDE_MAX:
        errors["aide"] = _("L’aide tient en %(max)d caractères au plus.") % {"max": AIDE_MAX}
    try:
        position = int(ordre) if ordre not in (None, "") else None
    except (TypeError, ValueError):
        position = None
        errors["ordre"] = _("L’ordre est un nombre entier.")
    if position is not None and not 0 <= position <= 999:
        errors["ordre"] = _("L’ordre est compris entre 0 et 999.")
    if errors:
        raise ValidationError(errors)
    return {"theme": theme, "texte": texte, "aide": aide, "ordre": position}


def _audit_config(acting_user, enonce: MaturiteEnonce, action: str) -> None:
    audit_record(
        acting_user=acting_user,
        membre=None,
        action="observatoire.configuration",
        target=enonce,
        details={"maturite": action, "theme": enonce.theme},
    )


@transaction.atomic
def enonce_create(
    *, acting_user, theme: str, texte: str, aide: str = "", ordre=None
) -> MaturiteEnonce:
    """Add a statement to the questionnaire (at the end of its theme unless `ordre` is given).
    Diagnostics already made keep their levels."""
    permission_check(acting_user, "observatoire.configurer")
    clean = _enonce_clean(theme, texte, aide, ordre)
    if clean["ordre"] is None:
        last = MaturiteEnonce.objects.filter(theme=theme).order_by("-ordre").first()
        clean["ordre"] = last.ordre + 1 if last is not None else 0
    enonce = MaturiteEnonce.objects.create(**clean)
    _audit_config(acting_user, enonce, "ajout")
    return enonce


@transaction.atomic
def enonce_update(
    *,
    acting_user,
    enonce: MaturiteEnonce,
    theme: str,
    texte: str,
    aide: str = "",
    ordre=None,
    actif: bool = True,
) -> MaturiteEnonce:
    """Change a statement, or take it out of the questionnaire (`actif=False`) and back.
    Diagnostics already made keep their answers and levels."""
    permission_check(acting_user, "observatoire.configurer")
    clean = _enonce_clean(theme, texte, aide, ordre)
    if clean["ordre"] is None:
        clean["ordre"] = enonce.ordre
    clean["actif"] = bool(actif)
    changed = [name for name, value in clean.items() if getattr(enonce, name) != value]
    if changed:
        for name in changed:
            setattr(enonce, name, clean[name])
        enonce.save(update_fields=changed)
        _audit_config(acting_user, enonce, "modification")
    return enonce


def enonce_used(enonce: MaturiteEnonce) -> bool:
    """Tell whether a diagnostic answered this statement."""
    return Diagnostic.objects.filter(reponses__has_key=str(enonce.pk)).exists()


def enonces_utilises() -> set[int]:
    """Return the ids of the statements some diagnostic answered."""
    used: set[int] = set()
    for reponses in Diagnostic.objects.values_list("reponses", flat=True):
        used.update(int(key) for key in (reponses or {}) if str(key).isdigit())
    return used


@transaction.atomic
def enonce_delete(*, acting_user, enonce: MaturiteEnonce) -> None:
    """Delete a statement no diagnostic answered (else take it out with `actif=False`: the
    answers of the past keep their text)."""
    permission_check(acting_user, "observatoire.configurer")
    if enonce_used(enonce):
        raise ValidationError(
            _(
                "Des diagnostics ont répondu à cet énoncé : retirez-le du questionnaire au lieu "
                "de le supprimer, pour que leurs réponses gardent leur texte."
            )
        )
    _audit_config(acting_user, enonce, "suppression")
    enonce.delete()


# --- Reads -------------------------------------------------------------------------------------


def enonces_actifs() -> list[MaturiteEnonce]:
    """Return the questionnaire's active statements, theme by theme in the themes' order."""
    order = {code: index for index, code in enumerate(THEMES)}
    rows = MaturiteEnonce.objects.filter(actif=True)
    return sorted(rows, key=lambda e: (order.get(e.theme, len(order)), e.ordre, e.pk))


def enonces_tous() -> list[MaturiteEnonce]:
    """Return every statement (taken out ones too), theme by theme, for the configuration."""
    order = {code: index for index, code in enumerate(THEMES)}
    rows = MaturiteEnonce.objects.all()
    return sorted(rows, key=lambda e: (order.get(e.theme, len(order)), e.ordre, e.pk))


def diagnostics_of(*, membre: Membre) -> QuerySet[Diagnostic]:
    """Return every diagnostic of the member, newest first."""
    return Diagnostic.objects.filter(membre=membre).select_related("cree_par")


def diagnostic_latest(*, membre: Membre) -> Diagnostic | None:
    """Return the member's latest diagnostic, if any."""
    return diagnostics_of(membre=membre).first()


def get_diagnostic_for_membre(*, membre: Membre, pk: int) -> Diagnostic:
    """Return one of the member's diagnostics, or raise Http404."""
    diagnostic = diagnostics_of(membre=membre).filter(pk=pk).first()
    if diagnostic is None:
        raise Http404
    return diagnostic


def get_enonce(*, pk) -> MaturiteEnonce:
    """Return a statement of the questionnaire, or raise Http404."""
    try:
        enonce = MaturiteEnonce.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        enonce = None
    if enonce is None:
        raise Http404
    return enonce


@dataclass
class Comparaison:
    """The median level per theme of a diagnostic's comparison group (None for a theme fewer
    than MIN_GROUP of them measured), and the group's size."""

    taille: int
    medianes: dict[str, float | None]


def groupe_of(diagnostic: Diagnostic) -> QuerySet[Diagnostic]:
    """Return the latest diagnostic of each other member made with the same kind of
    collectivité and population band as this one."""
    latest = Diagnostic.objects.filter(membre=OuterRef("membre")).order_by("-cree_le", "-pk")
    return (
        Diagnostic.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .exclude(membre_id=diagnostic.membre_id)
        .filter(
            type_collectivite=diagnostic.type_collectivite,
            tranche=diagnostic.tranche,
        )
    )


def comparaison(diagnostic: Diagnostic, *, viewer=None) -> Comparaison | None:
    """Return the median per theme of the diagnostic's comparison group, or None (the group's
    size hidden too) when fewer than MIN_GROUP other members are in it, or when the
    collectivité's kind or size band is unknown.

    The members where the viewer holds a role are left out of the group: someone who answers
    for several collectivités could otherwise move their answers and read, through the median,
    those of the few others."""
    if not diagnostic.type_collectivite or not diagnostic.tranche:
        return None
    rows = groupe_of(diagnostic)
    if viewer is not None:
        rows = rows.exclude(membre_id__in=list(grants_for(viewer).members))
    groupe = list(rows.values_list("niveaux", flat=True))
    if len(groupe) < MIN_GROUP:
        return None
    medianes: dict[str, float | None] = {}
    for code in THEMES:
        values = [
            float(niveaux[code])
            for niveaux in groupe
            if isinstance(niveaux, dict) and niveaux.get(code) is not None
        ]
        medianes[code] = (
            _round(Decimal(str(statistics.median(values)))) if len(values) >= MIN_GROUP else None
        )
    return Comparaison(taille=len(groupe), medianes=medianes)
