"""Value analysis of projects (after MAREVA 2): ex ante and ex post evaluations, the grid the
structure configures, and a project's follow-up (milestones, indicators).

The arithmetic is plain functions on Decimals (no database), documented in
docs/observatoire.md and below; the services check, compute, store and audit.

- An answer is worth 0 to 4 points. An axis' score (0–100) is
  100 × Σ(question weight × points) / Σ(question weight × 4) over the *answered* active
  questions of the axis; with none answered it is None (not 0).
- The financial axis reads the yearly flows (year 0 first, not discounted) at rate r:
  VAN = Σ (gains_i − coûts_i) / (1 + r)^i; its score is clamp(50 + 50 × VAN / PV(coûts), 0, 100),
  None without flows or when the costs' present value is 0.
- The payback period (délai de retour) is the first year i where the cumulated discounted net
  S_i reaches 0, plus the share of that year's net needed: i + (−S_{i−1}) / n_i.
- Grades: A ≥ 80, B ≥ 60, C ≥ 40, D ≥ 20, E below; the overall score is the weighted mean of
  the axes that have a score.

Rounding: scores are kept to one decimal (half up) and grades read the rounded score, which is
what the pages show; the overall score is computed from the rounded axis scores, so a reader can
check it by hand. Amounts are kept to the cent, the payback period to the hundredth of a year.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socle.membres.permissions import permission_check
from socle.membres.services import acting_person, audit_record
from socle.observatoire.models import (
    EvalAxe,
    EvalChoix,
    EvalQuestion,
    Evaluation,
    Indicateur,
    Jalon,
    Projet,
    ReglagesObservatoire,
)
from socle.observatoire.services import _project_permission

Number = Decimal | int | float | str

ZERO = Decimal(0)
FOUR = Decimal(4)
FIFTY = Decimal(50)
HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")

# Grades from the score (0–100): (lowest score, letter, label), best first.
GRADES: tuple[tuple[Decimal, str, Any], ...] = (
    (Decimal(80), "A", gettext_lazy("Très favorable")),
    (Decimal(60), "B", gettext_lazy("Favorable")),
    (Decimal(40), "C", gettext_lazy("Mitigé")),
    (Decimal(20), "D", gettext_lazy("Défavorable")),
    (ZERO, "E", gettext_lazy("Très défavorable")),
)
GRADE_LABELS = {letter: label for _floor, letter, label in GRADES}

# Bounds of what the structure may configure, and of what an evaluation may hold.
HORIZON_MAX = 30
TAUX_MAX = Decimal(20)
POIDS_MAX = Decimal(100)
POINTS_MAX = FOUR
MONTANT_MAX = Decimal("1e12")
CHOIX_MIN = 2
COMMENTAIRE_MAX = 5000
INDICATEUR_MAX = Decimal("1e14")

# The address segment of each kind of evaluation (gestion:observatoire:evaluation).
KIND_SLUGS = {"ex-ante": Evaluation.Kind.EX_ANTE, "ex-post": Evaluation.Kind.EX_POST}


# --- Arithmetic ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flux:
    """One year's costs and gains, in euros."""

    couts: Decimal
    gains: Decimal

    @property
    def net(self) -> Decimal:
        return self.gains - self.couts


def _d(value: Number) -> Decimal:
    """A Decimal of a number (floats through their shortest text: 4.5 → Decimal("4.5"))."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _flux_list(flux: Iterable[Flux | tuple[Number, Number] | dict]) -> list[Flux]:
    rows = []
    for row in flux:
        if isinstance(row, Flux):
            rows.append(row)
        elif isinstance(row, dict):
            rows.append(Flux(_d(row.get("couts") or 0), _d(row.get("gains") or 0)))
        else:
            couts, gains = row
            rows.append(Flux(_d(couts), _d(gains)))
    return rows


def discount_factors(taux: Number, years: int) -> list[Decimal]:
    """Return 1/(1+r)^i for i = 0 … years−1, r = taux/100 (year 0 is not discounted)."""
    base = 1 + _d(taux) / HUNDRED
    return [1 / base**i for i in range(years)]


def _discounted(flux: Iterable, taux: Number) -> list[tuple[Decimal, Decimal]]:
    """Each year's (discounted costs, discounted net)."""
    rows = _flux_list(flux)
    factors = discount_factors(taux, len(rows))
    return [(row.couts * f, row.net * f) for row, f in zip(rows, factors, strict=True)]


def valeur_actuelle_nette(flux: Iterable, taux: Number) -> Decimal | None:
    """Return the net present value Σ (gains_i − coûts_i)/(1+r)^i, to the cent; None without
    flows."""
    rows = _discounted(flux, taux)
    if not rows:
        return None
    return sum((net for _c, net in rows), ZERO).quantize(CENT, ROUND_HALF_UP)


def valeur_actuelle_couts(flux: Iterable, taux: Number) -> Decimal | None:
    """Return the present value of the costs Σ coûts_i/(1+r)^i, to the cent; None without
    flows."""
    rows = _discounted(flux, taux)
    if not rows:
        return None
    return sum((couts for couts, _n in rows), ZERO).quantize(CENT, ROUND_HALF_UP)


def delai_retour(flux: Iterable, taux: Number) -> Decimal | None:
    """Return the payback period in years (to the hundredth), or None when the cumulated
    discounted net never reaches 0 within the flows.

    With n_i the discounted net of year i and S_i = n_0 + … + n_i (S_−1 = 0): for the first i
    with S_i ≥ 0, i + (−S_{i−1})/n_i when S_{i−1} < 0, else 0 (paid back at once).
    """
    cumulated = ZERO
    for year, (_couts, net) in enumerate(_discounted(flux, taux)):
        before = cumulated
        cumulated += net
        if cumulated >= 0:
            # S_{i-1} < 0 ≤ S_i implies n_i > 0: no division by zero.
            result = year + (-before / net) if before < 0 else ZERO
            return result.quantize(CENT, ROUND_HALF_UP)
    return None


def _round_score(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, ROUND_HALF_UP)


def score_axe(reponses: Iterable[tuple[Number, Number]]) -> Decimal | None:
    """Return an axis' score from its answered questions' (weight, points), one decimal.

    100 × Σ(weight × points) / Σ(weight × 4); None when no question was answered (or the
    answered ones all weigh 0).
    """
    earned = ZERO
    possible = ZERO
    for poids, points in reponses:
        earned += _d(poids) * _d(points)
        possible += _d(poids) * FOUR
    if possible == 0:
        return None
    return _round_score(HUNDRED * earned / possible)


def score_financier(van: Number | None, pv_couts: Number | None) -> Decimal | None:
    """Return the financial axis' score: clamp(50 + 50 × VAN / PV(coûts), 0, 100), one decimal.

    None without flows (van None) or when the costs' present value is 0. A project whose
    discounted gains just cover its costs scores 50; one that doubles them 100.
    """
    if van is None or pv_couts is None or _d(pv_couts) == 0:
        return None
    raw = FIFTY + FIFTY * _d(van) / _d(pv_couts)
    return _round_score(min(max(raw, ZERO), HUNDRED))


def note(score: Number | None) -> str | None:
    """Return the grade letter (A–E) of a score, None for no score."""
    if score is None:
        return None
    value = _d(score)
    for floor, letter, _label in GRADES:
        if value >= floor:
            return letter
    return "E"


def note_label(letter: str | None) -> str:
    """Return the words of a grade (« Favorable »), "" for none."""
    return str(GRADE_LABELS.get(letter or "", ""))


def score_global(axes: Iterable[tuple[Number, Number | None]]) -> Decimal | None:
    """Return Σ(weight × score)/Σ(weight) over the axes (weight, score) that have a score, one
    decimal; None when none has (or their weights are all 0)."""
    total = ZERO
    weights = ZERO
    for poids, score in axes:
        if score is None:
            continue
        total += _d(poids) * _d(score)
        weights += _d(poids)
    if weights == 0:
        return None
    return _round_score(total / weights)


# --- Reads ---------------------------------------------------------------------------------------


def reglages_courants() -> ReglagesObservatoire:
    """Return the observatory's settings row (the defaults, unsaved, if it is missing)."""
    reglages = ReglagesObservatoire.objects.order_by("pk").first()
    if reglages is None:
        reglages = ReglagesObservatoire(horizon_annees=5, taux_actualisation=Decimal("4.5"))
    reglages.taux_actualisation = _d(reglages.taux_actualisation)
    return reglages


def grille(*, actifs_seulement: bool = True) -> list[EvalAxe]:
    """Return the evaluation grid: axes, then on each `questions_grille` (with their `choix`).

    Only what is active by default (what an evaluation asks); the whole grid for the
    configuration page.
    """
    questions = EvalQuestion.objects.prefetch_related("choix").order_by("ordre", "pk")
    axes = EvalAxe.objects.order_by("ordre", "pk")
    if actifs_seulement:
        questions = questions.filter(actif=True)
        axes = axes.filter(actif=True)
    return list(
        axes.prefetch_related(Prefetch("questions", queryset=questions, to_attr="questions_grille"))
    )


def questions_of(axe: EvalAxe) -> list[EvalQuestion]:
    """Return the questions `grille()` read for an axis (in order, with their choices)."""
    return list(getattr(axe, "questions_grille", []))


def evaluation_of(*, projet: Projet, kind: str) -> Evaluation | None:
    """Return a project's evaluation of this kind (ex_ante, ex_post), if it was made."""
    return projet.evaluations.filter(kind=kind).first()


def radar_series(*evaluations: tuple[str, dict]) -> tuple[list[str], list[tuple[str, list]]]:
    """Return the radar's labels (axes, by code, in the order first met) and one series per
    (name, stored result), None where a result has no score for an axis."""
    names: dict[str, str] = {}
    for _name, resultat in evaluations:
        for axe in resultat.get("axes", []):
            names.setdefault(axe["code"], axe["nom"])
    series = []
    for name, resultat in evaluations:
        scores = {axe["code"]: axe["score"] for axe in resultat.get("axes", [])}
        series.append((name, [scores.get(code) for code in names]))
    return list(names.values()), series


# --- Computing a result -------------------------------------------------------------------------


def _as_json_number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def resultat_compute(
    *, axes: Sequence[EvalAxe], reponses: dict[str, int], flux: list[Flux], taux: Number
) -> dict:
    """Return the result of an evaluation under this grid (the axes of `grille()`).

    Scores and the payback period are JSON numbers; amounts are strings of Decimals (to the
    cent), exact whatever their size. The axes' names and weights are copied, so that the
    result reads the same after the configuration changed.
    """
    van = valeur_actuelle_nette(flux, taux)
    pv_couts = valeur_actuelle_couts(flux, taux)
    rows: list[dict[str, Any]] = []
    for axe in axes:
        questions = questions_of(axe)
        if axe.financier:
            score = score_financier(van, pv_couts)
            answered = None
        else:
            answered_pairs = []
            for question in questions:
                choice_id = reponses.get(str(question.pk))
                choice = next((c for c in question.choix.all() if c.pk == choice_id), None)
                if choice is not None:
                    answered_pairs.append((question.poids, choice.points))
            score = score_axe(answered_pairs)
            answered = len(answered_pairs)
        rows.append(
            {
                "code": axe.code,
                "nom": axe.nom,
                "poids": float(_d(axe.poids)),
                "financier": axe.financier,
                "score": _as_json_number(score),
                "note": note(score),
                "repondues": answered,
                "questions": None if axe.financier else len(questions),
            }
        )
    overall = score_global((row["poids"], row["score"]) for row in rows)
    payback = delai_retour(flux, taux)
    return {
        "axes": rows,
        "score": _as_json_number(overall),
        "note": note(overall),
        "van": str(van) if van is not None else None,
        "pv_couts": str(pv_couts) if pv_couts is not None else None,
        "delai_retour": _as_json_number(payback),
    }


# --- Checking input ------------------------------------------------------------------------------


def _number(value: Any) -> Decimal:
    """Read a number typed the French way (12 500,50) or given as a number; raise ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal | int | float):
        number = _d(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
        text = text.removesuffix("€").removesuffix("%")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _montant(value: Any) -> Decimal:
    """A yearly amount in euros: a number, ≥ 0, below a thousand billion; to the cent."""
    try:
        amount = _number(value)
    except ValueError:
        raise ValidationError(_("Saisissez un montant en euros (12 500 ou 12500,50).")) from None
    if amount < 0:
        raise ValidationError(
            _(
                "Un montant ne peut pas être négatif : saisissez les dépenses en coûts et les "
                "économies ou recettes en gains."
            )
        )
    if amount >= MONTANT_MAX:
        raise ValidationError(_("Ce montant est trop élevé (moins de mille milliards d’euros)."))
    return amount.quantize(CENT, ROUND_HALF_UP)


def _flux_clean(flux: Any, horizon: int) -> tuple[list[Flux], dict[str, str]]:
    """Check the yearly flows; blank cells count 0, trailing blank years are dropped.

    Errors are keyed `couts_<i>` / `gains_<i>` (i from 0), or `flux` for the whole table.
    """
    errors: dict[str, str] = {}
    if flux is None:
        flux = []
    if not isinstance(flux, list | tuple):
        return [], {"flux": _("Les flux sont une liste d’années (coûts et gains).")}
    rows: list[tuple[Any, Any]] = []
    for index, row in enumerate(flux):
        if not isinstance(row, dict):
            errors["flux"] = _("L’année %(n)d n’a ni coûts ni gains lisibles.") % {"n": index + 1}
            rows.append((None, None))
            continue
        rows.append((row.get("couts"), row.get("gains")))
    while rows and _blank(rows[-1][0]) and _blank(rows[-1][1]):
        rows.pop()
    clean: list[Flux] = []
    for index, (couts, gains) in enumerate(rows):
        values = []
        for name, value in (("couts", couts), ("gains", gains)):
            if _blank(value):
                values.append(ZERO.quantize(CENT))
                continue
            try:
                values.append(_montant(value))
            except ValidationError as error:
                errors[f"{name}_{index}"] = error.messages[0]
                values.append(ZERO)
        clean.append(Flux(couts=values[0], gains=values[1]))
    if len(clean) > horizon:
        errors["flux"] = _(
            "L’horizon d’évaluation est de %(n)d ans : saisissez au plus %(n)d années de coûts "
            "et de gains."
        ) % {"n": horizon}
    return clean, errors


def _reponses_clean(reponses: Any, axes: Sequence[EvalAxe]) -> tuple[dict[str, int], dict]:
    """Check the answers {question id: choice id} against the active grid; blank answers are
    left out. Errors are keyed `reponse_<question id>` (or `reponses`)."""
    if reponses is None:
        reponses = {}
    if not isinstance(reponses, dict):
        return {}, {"reponses": _("Les réponses sont données question par question.")}
    questions = {
        str(question.pk): question
        for axe in axes
        if not axe.financier
        for question in questions_of(axe)
    }
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key, value in reponses.items():
        key = str(key).strip()
        if _blank(value):
            continue
        question = questions.get(key)
        if question is None:
            errors[f"reponse_{key}"] = _(
                "Question inconnue ou qui n’est plus posée (n° %(q)s) : rechargez la page."
            ) % {"q": key}
            continue
        try:
            choice_id = int(str(value))
        except ValueError:
            choice_id = None
        if choice_id is None or not any(c.pk == choice_id for c in question.choix.all()):
            errors[f"reponse_{key}"] = _("Choisissez une des réponses proposées.")
            continue
        clean[key] = choice_id
    return clean, errors


# --- Saving an evaluation ------------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *,
    acting_user,
    projet: Projet,
    kind: str,
    reponses: dict,
    flux: list,
    commentaire: str = "",
) -> Evaluation:
    """Record (or replace) a project's ex ante or ex post evaluation and compute its result
    with the current grid, horizon and rate.

    The contributors of the project's member and the structure's reviewers may. Every input is
    checked in one round (ValidationError keyed `reponse_<id>`, `couts_<i>`, `gains_<i>`,
    `flux`, `kind`, `commentaire`); nothing is written when one is wrong. An ex post evaluation
    does not need an ex ante one: projects recorded after they were done have none, and one
    written afterwards would be no forecast.
    """
    _project_permission(acting_user, projet)
    projet = Projet.objects.select_for_update().get(pk=projet.pk)
    reglages = reglages_courants()
    axes = grille()
    errors: dict[str, str] = {}
    if kind not in Evaluation.Kind.values:
        errors["kind"] = _("Choisissez une évaluation ex ante ou ex post.")
    clean_reponses, reponse_errors = _reponses_clean(reponses, axes)
    errors.update(reponse_errors)
    clean_flux, flux_errors = _flux_clean(flux, reglages.horizon_annees)
    errors.update(flux_errors)
    commentaire = (commentaire or "").strip()
    if len(commentaire) > COMMENTAIRE_MAX:
        errors["commentaire"] = _("Le commentaire tient en %(n)d caractères au plus.") % {
            "n": COMMENTAIRE_MAX
        }
    if errors:
        raise ValidationError(errors)
    taux = reglages.taux_actualisation
    resultat = resultat_compute(axes=axes, reponses=clean_reponses, flux=clean_flux, taux=taux)
    now = timezone.now()
    author = acting_person(acting_user)
    evaluation, created = Evaluation.objects.update_or_create(
        projet=projet,
        kind=kind,
        defaults={
            "reponses": clean_reponses,
            "flux": [{"couts": str(row.couts), "gains": str(row.gains)} for row in clean_flux],
            "horizon_annees": reglages.horizon_annees,
            "taux_actualisation": taux,
            "resultat": resultat,
            "commentaire": commentaire,
            "modifie_le": now,
        },
        create_defaults={
            "reponses": clean_reponses,
            "flux": [{"couts": str(row.couts), "gains": str(row.gains)} for row in clean_flux],
            "horizon_annees": reglages.horizon_annees,
            "taux_actualisation": taux,
            "resultat": resultat,
            "commentaire": commentaire,
            "cree_par": author,
            "cree_le": now,
            "modifie_le": now,
        },
    )
    audit_record(
        acting_user=acting_user,
        membre=projet.membre,
        action="evaluation.enregistrement",
        target=evaluation,
        details={
            "kind": kind,
            "creation": created,
            "score": resultat["score"],
            "note": resultat["note"],
            "van": resultat["van"],
        },
    )
    return evaluation


# --- Configuration (the structure) --------------------------------------------------------------


def _text(value: Any, *, required: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError(required)
    if len(text) > limit:
        raise ValidationError(_("Ce texte tient en %(n)d caractères au plus.") % {"n": limit})
    return text


def _bounded(value: Any, *, low: Decimal, high: Decimal, message: str) -> Decimal:
    """A number between low and high, with at most two decimals."""
    if _blank(value):
        raise ValidationError(message)
    try:
        number = _number(value)
    except ValueError:
        raise ValidationError(message) from None
    if not low <= number <= high or number != number.quantize(CENT):
        raise ValidationError(message)
    return number.quantize(CENT)


def _poids(value: Any) -> Decimal:
    return _bounded(
        value,
        low=ZERO,
        high=POIDS_MAX,
        message=_("Le poids est un nombre de 0 à 100 (deux décimales au plus)."),
    )


def _points(value: Any) -> Decimal:
    return _bounded(
        value,
        low=ZERO,
        high=POINTS_MAX,
        message=_("Une réponse vaut de 0 à 4 points (deux décimales au plus)."),
    )


def _configuration_audit(acting_user, target, details: dict) -> None:
    audit_record(
        acting_user=acting_user,
        membre=None,
        action="observatoire.configuration",
        target=target,
        details=details,
    )


def _check_active_axes(actifs: list[tuple[bool, Decimal]]) -> str | None:
    """The grid must keep an active axis, and the active axes cannot all weigh 0."""
    if not any(actif for actif, _weight in actifs):
        return _("Gardez au moins un axe actif.")
    if all(weight == 0 for actif, weight in actifs if actif):
        return _("Donnez un poids supérieur à 0 à au moins un axe actif.")
    return None


@transaction.atomic
def reglages_update(
    *, acting_user, horizon_annees: Any, taux_actualisation: Any
) -> ReglagesObservatoire:
    """Change the financial axis' horizon (years, 1 to 30) and discount rate (%, 0 to 20).

    Evaluations already saved keep the horizon and rate they were computed with until they are
    saved again.
    """
    permission_check(acting_user, "observatoire.configurer")
    errors: dict[str, str] = {}
    horizon = None
    if re.fullmatch(r"\s*\d{1,3}\s*", str(horizon_annees)):
        horizon = int(str(horizon_annees))
    if horizon is None or not 1 <= horizon <= HORIZON_MAX:
        errors["horizon_annees"] = _("L’horizon est un nombre entier d’années, de 1 à %(n)d.") % {
            "n": HORIZON_MAX
        }
    taux = None
    try:
        taux = _bounded(
            taux_actualisation,
            low=ZERO,
            high=TAUX_MAX,
            message=_("Le taux d’actualisation est un pourcentage de 0 à 20 (4,5 par exemple)."),
        )
    except ValidationError as error:
        errors["taux_actualisation"] = error.messages[0]
    if errors or horizon is None or taux is None:
        raise ValidationError(errors)
    reglages = ReglagesObservatoire.objects.select_for_update().order_by("pk").first()
    if reglages is None:
        reglages = ReglagesObservatoire.objects.create(
            horizon_annees=horizon, taux_actualisation=taux
        )
        before: dict[str, Any] = {"horizon_annees": None, "taux_actualisation": None}
    else:
        before = {
            "horizon_annees": reglages.horizon_annees,
            "taux_actualisation": str(_d(reglages.taux_actualisation)),
        }
        reglages.horizon_annees = horizon
        reglages.taux_actualisation = taux
        reglages.modifie_le = timezone.now()
        reglages.save(update_fields=["horizon_annees", "taux_actualisation", "modifie_le"])
    _configuration_audit(
        acting_user,
        reglages,
        {
            "objet": "reglages",
            "avant": before,
            "apres": {"horizon_annees": horizon, "taux_actualisation": str(taux)},
        },
    )
    return reglages


def _unique_code(base: str) -> str:
    root = (slugify(base) or "axe")[:34].strip("-") or "axe"
    candidate, number = root, 1
    while EvalAxe.objects.filter(code=candidate).exists():
        number += 1
        candidate = f"{root}-{number}"
    return candidate


@transaction.atomic
def axe_create(
    *, acting_user, nom: str, poids: Any = 1, description: str = "", code: str = ""
) -> EvalAxe:
    """Add an axis scored from questions (the financial axis is the grid's own)."""
    permission_check(acting_user, "observatoire.configurer")
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, check in (
        ("nom", lambda: _text(nom, required=_("Indiquez le nom de l’axe."), limit=200)),
        ("poids", lambda: _poids(poids)),
    ):
        try:
            clean[name] = check()
        except ValidationError as error:
            errors[name] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    ordre = (EvalAxe.objects.aggregate(m=Max("ordre"))["m"] or 0) + 1
    axe = EvalAxe.objects.create(
        code=code or _unique_code(clean["nom"]),
        nom=clean["nom"],
        description=(description or "").strip(),
        poids=clean["poids"],
        ordre=ordre,
    )
    _configuration_audit(acting_user, axe, {"objet": "axe", "operation": "creation"})
    return axe


@transaction.atomic
def axes_update(*, acting_user, changes: dict[int, dict[str, Any]]) -> list[EvalAxe]:
    """Change several axes at once: {axis id: {nom, description, poids, actif}} (any of them).

    Checked in one round (errors keyed `axe_<id>_<field>`, and `axes` for the grid: at least
    one active axis, not all weighing 0).
    """
    permission_check(acting_user, "observatoire.configurer")
    axes = {axe.pk: axe for axe in EvalAxe.objects.select_for_update().order_by("ordre", "pk")}
    errors: dict[str, str] = {}
    planned: dict[int, dict[str, Any]] = {}
    for pk, fields in changes.items():
        axe = axes.get(int(pk))
        if axe is None:
            errors["axes"] = _("Axe inconnu (n° %(n)s) : rechargez la page.") % {"n": pk}
            continue
        clean: dict[str, Any] = {}
        for name, value in fields.items():
            try:
                if name == "nom":
                    clean[name] = _text(value, required=_("Indiquez le nom de l’axe."), limit=200)
                elif name == "description":
                    clean[name] = str(value or "").strip()
                elif name == "poids":
                    clean[name] = _poids(value)
                elif name == "actif":
                    clean[name] = bool(value)
                else:
                    raise ValueError(f"unknown axis field {name!r}")
            except ValidationError as error:
                errors[f"axe_{axe.pk}_{name}"] = error.messages[0]
        planned[axe.pk] = clean
    after = [
        (
            planned.get(pk, {}).get("actif", axe.actif),
            planned.get(pk, {}).get("poids", _d(axe.poids)),
        )
        for pk, axe in axes.items()
    ]
    grid_error = _check_active_axes(after)
    if grid_error:
        errors["axes"] = grid_error
    if errors:
        raise ValidationError(errors)
    changed_axes = []
    for pk, clean in planned.items():
        axe = axes[pk]
        diff = {
            name: {"avant": _json(getattr(axe, name)), "apres": _json(value)}
            for name, value in clean.items()
            if getattr(axe, name) != value
        }
        if not diff:
            continue
        for name in diff:
            setattr(axe, name, clean[name])
        axe.save(update_fields=list(diff))
        _configuration_audit(
            acting_user, axe, {"objet": "axe", "operation": "modification", "champs": diff}
        )
        changed_axes.append(axe)
    return changed_axes


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def axe_update(*, acting_user, axe: EvalAxe, **fields: Any) -> EvalAxe:
    """Change one axis (nom, description, poids, actif); errors keyed `axe_<id>_<field>`."""
    axes_update(acting_user=acting_user, changes={axe.pk: fields})
    axe.refresh_from_db()
    return axe


def axe_deactivate(*, acting_user, axe: EvalAxe) -> EvalAxe:
    """Stop asking an axis (kept for the evaluations that used it)."""
    return axe_update(acting_user=acting_user, axe=axe, actif=False)


def _choix_clean(rows: Sequence[dict], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Check choice rows {id?, libelle, points, supprimer?}; errors keyed `choix_<id>_<field>`
    for existing choices, `nouveau_<n>_<field>` for new ones (blank new rows are skipped)."""
    clean = []
    new_index = -1
    for row in rows:
        pk = row.get("id")
        if pk is None:
            new_index += 1
            prefix = f"nouveau_{new_index}"
            if _blank(row.get("libelle")) and _blank(row.get("points")):
                continue
        else:
            prefix = f"choix_{pk}"
        if pk is not None and row.get("supprimer"):
            clean.append({"id": pk, "supprimer": True})
            continue
        item: dict[str, Any] = {"id": pk, "supprimer": False}
        try:
            item["libelle"] = _text(
                row.get("libelle"), required=_("Indiquez le libellé de la réponse."), limit=300
            )
        except ValidationError as error:
            errors[f"{prefix}_libelle"] = error.messages[0]
        try:
            item["points"] = _points(row.get("points"))
        except ValidationError as error:
            errors[f"{prefix}_points"] = error.messages[0]
        clean.append(item)
    return clean


def _question_fields(
    fields: dict[str, Any], errors: dict[str, str], *, partial: bool
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "texte" in fields or not partial:
        try:
            clean["texte"] = _text(
                fields.get("texte"), required=_("Indiquez le texte de la question."), limit=500
            )
        except ValidationError as error:
            errors["texte"] = error.messages[0]
    if "poids" in fields or not partial:
        try:
            clean["poids"] = _poids(fields.get("poids", 1))
        except ValidationError as error:
            errors["poids"] = error.messages[0]
    if "aide" in fields:
        clean["aide"] = str(fields.get("aide") or "").strip()
    if "actif" in fields:
        clean["actif"] = bool(fields["actif"])
    return clean


def _choix_used(question: EvalQuestion) -> dict[int, int]:
    """How many evaluations chose each choice of the question."""
    used: dict[int, int] = {}
    key = str(question.pk)
    for reponses in Evaluation.objects.filter(reponses__has_key=key).values_list(
        "reponses", flat=True
    ):
        choice = reponses.get(key)
        if isinstance(choice, int):
            used[choice] = used.get(choice, 0) + 1
    return used


@transaction.atomic
def question_create(
    *,
    acting_user,
    axe: EvalAxe,
    texte: str,
    poids: Any = 1,
    aide: str = "",
    choix: Sequence[dict],
) -> EvalQuestion:
    """Add a question to an axis with its choices [{libelle, points}] (two at least)."""
    permission_check(acting_user, "observatoire.configurer")
    errors: dict[str, str] = {}
    if axe.financier:
        errors["axe"] = _(
            "L’axe financier se calcule à partir des coûts et des gains : il n’a pas de questions."
        )
    clean = _question_fields({"texte": texte, "poids": poids, "aide": aide}, errors, partial=False)
    rows = _choix_clean([{**row, "id": None} for row in choix], errors)
    if len(rows) < CHOIX_MIN and not any(key.startswith("nouveau_") for key in errors):
        errors["choix"] = _("Proposez au moins deux réponses.")
    if errors:
        raise ValidationError(errors)
    ordre = (axe.questions.aggregate(m=Max("ordre"))["m"] or 0) + 1
    question = EvalQuestion.objects.create(axe=axe, ordre=ordre, **clean)
    EvalChoix.objects.bulk_create(
        [
            EvalChoix(question=question, libelle=row["libelle"], points=row["points"], ordre=n)
            for n, row in enumerate(rows, start=1)
        ]
    )
    _configuration_audit(
        acting_user, question, {"objet": "question", "operation": "creation", "axe": axe.code}
    )
    return question


@transaction.atomic
def question_update(
    *, acting_user, question: EvalQuestion, choix: Sequence[dict] | None = None, **fields: Any
) -> EvalQuestion:
    """Change a question (texte, aide, poids, actif) and, when given, its choices: rows
    {id, libelle, points, supprimer} for the existing ones, {libelle, points} for new ones.

    Checked in one round (errors keyed by field, `choix_<id>_<field>`, `nouveau_<n>_<field>`,
    `choix`). A choice some evaluation picked cannot be deleted (change its wording instead),
    and an active question keeps two choices at least.
    """
    permission_check(acting_user, "observatoire.configurer")
    question = EvalQuestion.objects.select_for_update().get(pk=question.pk)
    unknown = set(fields) - {"texte", "aide", "poids", "actif"}
    if unknown:
        raise ValueError(f"unknown question fields {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean = _question_fields(fields, errors, partial=True)
    existing = {c.pk: c for c in question.choix.all()}
    rows: list[dict[str, Any]] = []
    if choix is not None:
        for row in choix:
            if row.get("id") is not None and int(row["id"]) not in existing:
                errors["choix"] = _("Réponse inconnue : rechargez la page.")
        rows = _choix_clean(
            [{**row, "id": int(row["id"]) if row.get("id") is not None else None} for row in choix],
            errors,
        )
        deleted = {row["id"] for row in rows if row.get("supprimer")}
        if deleted:
            used = _choix_used(question)
            for pk in deleted:
                if used.get(pk):
                    errors[f"choix_{pk}_supprimer"] = _(
                        "Cette réponse a été choisie dans %(n)d évaluation(s) : modifiez son "
                        "libellé plutôt que de la supprimer."
                    ) % {"n": used[pk]}
    deleted_count = sum(1 for row in rows if row.get("supprimer"))
    remaining = len(existing) - deleted_count + sum(1 for row in rows if row["id"] is None)
    if remaining < CHOIX_MIN and clean.get("actif", question.actif):
        errors["choix"] = _("Une question active propose au moins deux réponses.")
    if errors:
        raise ValidationError(errors)
    diff = {
        name: {"avant": _json(getattr(question, name)), "apres": _json(value)}
        for name, value in clean.items()
        if getattr(question, name) != value
    }
    if diff:
        for name in diff:
            setattr(question, name, clean[name])
        question.save(update_fields=list(diff))
    choice_changes = _choix_apply(question, existing, rows)
    if diff or choice_changes:
        _configuration_audit(
            acting_user,
            question,
            {
                "objet": "question",
                "operation": "modification",
                "champs": diff,
                "reponses": choice_changes,
            },
        )
    return question


def _choix_apply(question: EvalQuestion, existing: dict[int, EvalChoix], rows) -> list[str]:
    changes = []
    ordre = max((c.ordre for c in existing.values()), default=0)
    for row in rows:
        if row["id"] is None:
            ordre += 1
            EvalChoix.objects.create(
                question=question, libelle=row["libelle"], points=row["points"], ordre=ordre
            )
            changes.append(f"+ {row['libelle']} ({row['points']})")
            continue
        current = existing[row["id"]]
        if row.get("supprimer"):
            current.delete()
            changes.append(f"- {current.libelle}")
            continue
        changed = [name for name in ("libelle", "points") if getattr(current, name) != row[name]]
        if changed:
            before = f"{current.libelle} ({current.points})"
            for name in changed:
                setattr(current, name, row[name])
            current.save(update_fields=changed)
            changes.append(f"{before} → {row['libelle']} ({row['points']})")
    return changes


def question_deactivate(*, acting_user, question: EvalQuestion) -> EvalQuestion:
    """Stop asking a question (kept for the evaluations that answered it)."""
    return question_update(acting_user=acting_user, question=question, actif=False)


def choix_create(*, acting_user, question: EvalQuestion, libelle: str, points: Any) -> EvalChoix:
    """Add a choice to a question (errors keyed `nouveau_0_libelle`, `nouveau_0_points`)."""
    question_update(
        acting_user=acting_user, question=question, choix=[{"libelle": libelle, "points": points}]
    )
    return question.choix.order_by("-ordre", "-pk").first()  # type: ignore[return-value]


def choix_update(*, acting_user, choix: EvalChoix, libelle: str, points: Any) -> EvalChoix:
    """Change a choice's wording or points (errors keyed `choix_<id>_<field>`)."""
    question_update(
        acting_user=acting_user,
        question=choix.question,
        choix=[{"id": choix.pk, "libelle": libelle, "points": points}],
    )
    choix.refresh_from_db()
    return choix


def choix_delete(*, acting_user, choix: EvalChoix) -> None:
    """Delete a choice nobody picked (a question keeps two at least)."""
    question_update(
        acting_user=acting_user,
        question=choix.question,
        choix=[{"id": choix.pk, "supprimer": True}],
    )


# --- Follow-up: milestones and indicators -------------------------------------------------------


def _date(value: Any, *, message: str) -> datetime.date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    french = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if french:
        text = f"{french[3]}-{int(french[2]):02d}-{int(french[1]):02d}"
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(message) from None


DATE_MESSAGE = gettext_lazy("Saisissez une date valide (jj/mm/aaaa).")


def _jalon_clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in data.items():
        try:
            if name == "titre":
                clean[name] = _text(value, required=_("Indiquez le titre du jalon."), limit=200)
            elif name in ("date_prevue", "date_reelle"):
                clean[name] = _date(value, message=str(DATE_MESSAGE))
            elif name == "ordre":
                clean[name] = max(0, min(int(value or 0), 32767))
            else:
                raise ValueError(f"unknown milestone field {name!r}")
        except ValidationError as error:
            errors[name] = error.messages[0]
    reached = clean.get("date_reelle")
    if reached and reached > timezone.localdate():
        errors["date_reelle"] = _(
            "Un jalon est atteint à une date passée : laissez ce champ vide d’ici là."
        )
    if errors:
        raise ValidationError(errors)
    return clean


def _suivi_audit(acting_user, projet: Projet, target, objet: str, operation: str) -> None:
    audit_record(
        acting_user=acting_user,
        membre=projet.membre,
        action="projet.modification",
        target=projet,
        details={"suivi": objet, "operation": operation, "libelle": str(target)},
    )


@transaction.atomic
def jalon_create(
    *,
    acting_user,
    projet: Projet,
    titre: str,
    date_prevue: Any = None,
    date_reelle: Any = None,
) -> Jalon:
    """Add a milestone to a project (planned date, and the date it was reached)."""
    _project_permission(acting_user, projet)
    clean = _jalon_clean({"titre": titre, "date_prevue": date_prevue, "date_reelle": date_reelle})
    ordre = (projet.jalons.aggregate(m=Max("ordre"))["m"] or 0) + 1
    jalon = Jalon.objects.create(projet=projet, ordre=ordre, **clean)
    _suivi_audit(acting_user, projet, jalon, "jalon", "creation")
    return jalon


@transaction.atomic
def jalon_update(*, acting_user, jalon: Jalon, **fields: Any) -> Jalon:
    """Change a milestone (titre, date_prevue, date_reelle, ordre)."""
    _project_permission(acting_user, jalon.projet)
    clean = _jalon_clean(fields)
    changed = [name for name, value in clean.items() if getattr(jalon, name) != value]
    for name in changed:
        setattr(jalon, name, clean[name])
    if changed:
        jalon.save(update_fields=changed)
        _suivi_audit(acting_user, jalon.projet, jalon, "jalon", "modification")
    return jalon


@transaction.atomic
def jalon_delete(*, acting_user, jalon: Jalon) -> None:
    """Delete a milestone."""
    projet = jalon.projet
    _project_permission(acting_user, projet)
    _suivi_audit(acting_user, projet, jalon, "jalon", "suppression")
    jalon.delete()


def _valeur(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    try:
        number = _number(value)
    except ValueError:
        raise ValidationError(_("Saisissez un nombre (1 250 ou 12,5).")) from None
    if number < 0:
        raise ValidationError(_("Un indicateur se mesure par une valeur positive ou nulle."))
    if number >= INDICATEUR_MAX:
        raise ValidationError(_("Cette valeur est trop élevée."))
    return number.quantize(CENT, ROUND_HALF_UP)


def _indicateur_clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in data.items():
        try:
            if name == "nom":
                clean[name] = _text(
                    value, required=_("Indiquez le nom de l’indicateur."), limit=200
                )
            elif name == "unite":
                unite = str(value or "").strip()
                if len(unite) > 40:
                    raise ValidationError(_("L’unité tient en 40 caractères au plus."))
                clean[name] = unite
            elif name in ("cible", "realise"):
                clean[name] = _valeur(value)
            elif name == "date_mesure":
                clean[name] = _date(value, message=str(DATE_MESSAGE))
            elif name == "ordre":
                clean[name] = max(0, min(int(value or 0), 32767))
            else:
                raise ValueError(f"unknown indicator field {name!r}")
        except ValidationError as error:
            errors[name] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def indicateur_create(
    *,
    acting_user,
    projet: Projet,
    nom: str,
    unite: str = "",
    cible: Any = None,
    realise: Any = None,
    date_mesure: Any = None,
) -> Indicateur:
    """Add an indicator to a project: its target (planned) and the value achieved."""
    _project_permission(acting_user, projet)
    clean = _indicateur_clean(
        {"nom": nom, "unite": unite, "cible": cible, "realise": realise, "date_mesure": date_mesure}
    )
    ordre = (projet.indicateurs.aggregate(m=Max("ordre"))["m"] or 0) + 1
    indicateur = Indicateur.objects.create(projet=projet, ordre=ordre, **clean)
    _suivi_audit(acting_user, projet, indicateur, "indicateur", "creation")
    return indicateur


@transaction.atomic
def indicateur_update(*, acting_user, indicateur: Indicateur, **fields: Any) -> Indicateur:
    """Change an indicator (nom, unite, cible, realise, date_mesure, ordre)."""
    _project_permission(acting_user, indicateur.projet)
    clean = _indicateur_clean(fields)
    changed = [name for name, value in clean.items() if getattr(indicateur, name) != value]
    for name in changed:
        setattr(indicateur, name, clean[name])
    if changed:
        indicateur.save(update_fields=changed)
        _suivi_audit(acting_user, indicateur.projet, indicateur, "indicateur", "modification")
    return indicateur


@transaction.atomic
def indicateur_delete(*, acting_user, indicateur: Indicateur) -> None:
    """Delete an indicator."""
    projet = indicateur.projet
    _project_permission(acting_user, projet)
    _suivi_audit(acting_user, projet, indicateur, "indicateur", "suppression")
    indicateur.delete()


def atteinte(indicateur: Indicateur) -> Decimal | None:
    """Return how much of an indicator's target is achieved, in percent (one decimal); None
    without a positive target or an achieved value."""
    if indicateur.cible is None or indicateur.realise is None or _d(indicateur.cible) <= 0:
        return None
    return _round_score(HUNDRED * _d(indicateur.realise) / _d(indicateur.cible))
