"""Pages of the value analysis: a project's ex ante and ex post evaluations and its follow-up
(the member's back office), and the grid's configuration (the structure's back office).

Views stay thin: `membre_view` / `structure_view` check the permission, the project comes from
`selectors.get_projet_for_user`, writes go through `socle.observatoire.evaluation` (and
`services.projet_update` for the progress).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge
from socle.membres.decorators import membre_view, structure_view
from socle.membres.views import membre_crumbs, membre_render
from socle.observatoire import evaluation as ev
from socle.observatoire import forms_evaluation as f
from socle.observatoire import selectors, services
from socle.observatoire.models import EvalAxe, EvalQuestion, Evaluation, Jalon, Projet

GRADE_TONES = {"A": "succes", "B": "succes", "C": "attention", "D": "erreur", "E": "erreur"}


# --- Formatting the French way ------------------------------------------------------------------


def euros(value: Any) -> str:
    """An amount in whole euros, grouped the French way: « 12 346 € », « −64 € »."""
    number = Decimal(str(value)).quantize(Decimal(1))
    text = number_format(abs(number), decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{'−' if number < 0 else ''}{text}\u00a0€"


def nombre(value: Any, decimals: int = 1) -> str:
    """A number rounded half up to at most `decimals` places, with a decimal comma and no
    trailing zeros: 72,5 ; 100 ; 4,5."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    places = max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def pourcent(value: Any) -> str:
    return f"{nombre(value, 2)}\u00a0%"


def annees(value: Any) -> str:
    """A payback period in years and months: « 3 ans et 2 mois (3,15 ans) », « 8 mois (0,67 an) »,
    « immédiat » for 0."""
    number = Decimal(str(value))
    if number <= 0:
        return _("Immédiat : dès la première année")
    months = int((number * 12).quantize(Decimal(1), ROUND_HALF_UP))
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)d an", "%(n)d ans", years) % {"n": years})
    if months:
        parts.append(_("%(n)d mois") % {"n": months})
    exact = ngettext("%(n)s an", "%(n)s ans", 2 if number >= 2 else 1) % {"n": nombre(number, 2)}
    return _("%(duree)s (%(exact)s)") % {"duree": _(" et ").join(parts), "exact": exact}


def grade_badge(letter: str | None):
    if not letter:
        return _("Non évalué")
    return badge(f"{letter} — {ev.note_label(letter)}", GRADE_TONES.get(letter, "neutre"))


# --- Evaluation ---------------------------------------------------------------------------------


def _financial(evaluation: Evaluation) -> list[tuple[str, str]]:
    """The financial figures of a stored evaluation, as (label, value) pairs."""
    resultat = evaluation.resultat or {}
    if resultat.get("van") is None:
        return []
    horizon = evaluation.horizon_annees
    payback = resultat.get("delai_retour")
    return [
        (_("Valeur actuelle nette (VAN)"), euros(resultat["van"])),
        (_("Coûts actualisés"), euros(resultat["pv_couts"])),
        (
            _("Délai de retour sur investissement"),
            annees(payback)
            if payback is not None
            else ngettext(
                "Non atteint en %(n)d an", "Non atteint sur les %(n)d ans de l’analyse", horizon
            )
            % {"n": horizon},
        ),
        (
            _("Calculés avec"),
            ngettext(
                "un horizon de %(n)d an et un taux d’actualisation de %(taux)s par an",
                "un horizon de %(n)d ans et un taux d’actualisation de %(taux)s par an",
                horizon,
            )
            % {"n": horizon, "taux": pourcent(evaluation.taux_actualisation)},
        ),
    ]


def _score_rows(resultat: dict) -> list[list]:
    rows: list[list] = []
    for axe in resultat.get("axes", []):
        if axe["score"] is None:
            shown = _("Non renseigné")
        else:
            shown = _("%(score)s sur 100") % {"score": nombre(axe["score"])}
        detail = ""
        if axe.get("questions"):
            detail = ngettext(
                "%(r)d question répondue sur %(q)d",
                "%(r)d questions répondues sur %(q)d",
                axe["repondues"] or 0,
            ) % {"r": axe["repondues"] or 0, "q": axe["questions"]}
        elif axe.get("financier"):
            detail = _("Calculé à partir des coûts et des gains")
        rows.append([axe["nom"], nombre(axe["poids"], 2), shown, grade_badge(axe["note"]), detail])
    if resultat.get("axes"):
        rows.append(
            [
                _("Ensemble (moyenne pondérée)"),
                "—",
                _("%(score)s sur 100") % {"score": nombre(resultat["score"])}
                if resultat.get("score") is not None
                else _("Non renseigné"),
                grade_badge(resultat.get("note")),
                "",
            ]
        )
    return rows


def _radar(series: list[tuple[str, dict]]) -> dict | None:
    """Labels and series of the radar, or None when fewer than three axes can be drawn."""
    labels, values = ev.radar_series(*series)
    if len(labels) < 3:
        return None
    return {"labels": labels, "series": values}


@membre_view("observatoire.contribuer")
def evaluation(request, membre, pk: int, kind: str):
    """A project's ex ante or ex post evaluation: its result (grades, radar, NPV, payback),
    then the questionnaire and the yearly flows to fill in or change."""
    projet = selectors.get_projet_for_user(user=request.user, membre=membre, pk=pk)
    kind_value = ev.KIND_SLUGS.get(kind)
    if kind_value is None:
        raise Http404
    existing = ev.evaluation_of(projet=projet, kind=kind_value)
    reglages = ev.reglages_courants()
    form = f.EvaluationForm(
        request.POST if request.method == "POST" else None,
        axes=ev.grille(),
        horizon=reglages.horizon_annees,
        evaluation=existing,
    )
    if request.method == "POST" and form.is_valid():
        try:
            ev.evaluation_save(
                acting_user=request.user,
                projet=projet,
                kind=kind_value,
                reponses=form.reponses(),
                flux=form.flux(),
                commentaire=form.cleaned_data["commentaire"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Évaluation enregistrée : son résultat est à jour."))
            url = reverse("gestion:observatoire:evaluation", args=[membre.slug, projet.pk, kind])
            return redirect(f"{url}#resultat")
    ex_ante = existing if kind_value == Evaluation.Kind.EX_ANTE else None
    if kind_value == Evaluation.Kind.EX_POST:
        ex_ante = ev.evaluation_of(projet=projet, kind=Evaluation.Kind.EX_ANTE)
    series: list[tuple[str, dict]] = []
    if kind_value == Evaluation.Kind.EX_POST and ex_ante is not None and ex_ante.resultat:
        series.append((_("Ex ante"), ex_ante.resultat))
    if existing is not None and existing.resultat:
        series.append(
            (
                _("Ex post") if kind_value == Evaluation.Kind.EX_POST else _("Ex ante"),
                existing.resultat,
            )
        )
    settings_changed = existing is not None and (
        existing.horizon_annees != reglages.horizon_annees
        or Decimal(existing.taux_actualisation) != reglages.taux_actualisation
    )
    title = (
        _("Évaluation ex ante")
        if kind_value == Evaluation.Kind.EX_ANTE
        else _("Évaluation ex post")
    )
    return membre_render(
        request,
        membre,
        "observatoire/evaluation/evaluation.html",
        {
            "projet": projet,
            "form": form,
            "kind": kind,
            "ex_post": kind_value == Evaluation.Kind.EX_POST,
            "evaluation": existing,
            "ex_ante": ex_ante,
            "score_columns": [_("Axe"), _("Poids"), _("Score"), _("Appréciation"), _("Détail")],
            "score_rows": _score_rows(existing.resultat) if existing else [],
            "financier": _financial(existing) if existing else [],
            "radar": _radar(series) if series else None,
            "settings_changed": settings_changed,
            "reglages": reglages,
            "taux": pourcent(reglages.taux_actualisation),
            "grades": [(letter, label, floor) for floor, letter, label in ev.GRADES],
        },
        title=f"{title} — {projet.titre}",
        crumbs=(_("Observatoire"), projet.titre, title),
        status=400 if form.errors else 200,
    )


# --- Follow-up ----------------------------------------------------------------------------------

SUIVI_FORMS = {
    "avancement",
    "jalon_ajout",
    "jalon",
    "jalon_supprimer",
    "indicateur_ajout",
    "indicateur",
    "indicateur_supprimer",
}


def _jalon_etat(jalon: Jalon, today) -> Any:
    if jalon.date_reelle:
        return badge(_("Atteint"), "succes")
    if jalon.date_prevue and jalon.date_prevue < today:
        return badge(_("En retard"), "attention")
    if jalon.date_prevue:
        return badge(_("À venir"), "info")
    return badge(_("Sans date"), "neutre")


def _date(value) -> str:
    return date_format(value, "j F Y") if value else "—"


def _suivi_post(request, projet: Projet, bound: str, forms_: dict) -> str | None:
    """Apply the posted form; return the success message, or None when it has errors."""
    user = request.user
    pk = request.POST.get("pk", "")
    if bound == "jalon_supprimer":
        ev.jalon_delete(acting_user=user, jalon=_row(projet.jalons, pk))
        return _("Jalon supprimé.")
    if bound == "indicateur_supprimer":
        ev.indicateur_delete(acting_user=user, indicateur=_row(projet.indicateurs, pk))
        return _("Indicateur supprimé.")
    form: Any
    if bound == "jalon":
        jalon = _row(projet.jalons, pk)
        form = forms_["jalons"][jalon.pk] = f.JalonForm.of(jalon, request.POST)
    elif bound == "indicateur":
        indicateur = _row(projet.indicateurs, pk)
        form = forms_["indicateurs"][indicateur.pk] = f.IndicateurForm.of(indicateur, request.POST)
    else:
        form = forms_[bound]
    forms_["bound"] = form
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if bound == "avancement":
            services.projet_update(acting_user=user, projet=projet, avancement=data["avancement"])
            return _("Avancement enregistré.")
        if bound == "jalon_ajout":
            ev.jalon_create(acting_user=user, projet=projet, **data)
            return _("Jalon ajouté.")
        if bound == "jalon":
            ev.jalon_update(acting_user=user, jalon=jalon, **data)
            return _("Jalon enregistré.")
        if bound == "indicateur_ajout":
            ev.indicateur_create(acting_user=user, projet=projet, **data)
            return _("Indicateur ajouté.")
        ev.indicateur_update(acting_user=user, indicateur=indicateur, **data)
        return _("Indicateur enregistré.")
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _row(rows, pk: str):
    """A milestone or indicator of this project, by the id posted; else 404."""
    found = rows.filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise Http404
    return found


@membre_view("observatoire.contribuer")
def suivi(request, membre, pk: int):
    """A project's follow-up: progress, milestones planned and reached, indicators planned vs
    achieved, and its two evaluations."""
    projet = selectors.get_projet_for_user(user=request.user, membre=membre, pk=pk)
    jalons = list(projet.jalons.all())
    indicateurs = list(projet.indicateurs.all())
    forms_: dict[str, Any] = {
        "avancement": f.AvancementForm(initial={"avancement": str(projet.avancement)}),
        "jalon_ajout": f.JalonForm(prefix="nouveau-jalon"),
        "indicateur_ajout": f.IndicateurForm(prefix="nouvel-indicateur"),
        "jalons": {jalon.pk: f.JalonForm.of(jalon) for jalon in jalons},
        "indicateurs": {i.pk: f.IndicateurForm.of(i) for i in indicateurs},
        "bound": None,
    }
    if request.method == "POST":
        bound = request.POST.get("formulaire", "")
        if bound not in SUIVI_FORMS:
            return HttpResponse(
                _("Formulaire inconnu."), status=400, content_type="text/plain; charset=utf-8"
            )
        if bound in ("avancement", "jalon_ajout", "indicateur_ajout"):
            prefix = {"avancement": None, "jalon_ajout": "nouveau-jalon"}.get(
                bound, "nouvel-indicateur"
            )
            form_class = {
                "avancement": f.AvancementForm,
                "jalon_ajout": f.JalonForm,
                "indicateur_ajout": f.IndicateurForm,
            }[bound]
            forms_[bound] = form_class(request.POST, prefix=prefix)
        done = _suivi_post(request, projet, bound, forms_)
        if done is not None:
            messages.success(request, done)
            return redirect("gestion:observatoire:suivi", slug=membre.slug, pk=projet.pk)
    today = timezone.localdate()
    failed = forms_["bound"]
    evaluations = {e.kind: e for e in projet.evaluations.all()}
    attainment = [(i, ev.atteinte(i)) for i in indicateurs]
    return membre_render(
        request,
        membre,
        "observatoire/evaluation/suivi.html",
        {
            "projet": projet,
            "forms": forms_,
            "form": failed,
            "jalons": [
                {"jalon": j, "etat": _jalon_etat(j, today), "form": forms_["jalons"][j.pk]}
                for j in jalons
            ],
            "jalon_columns": [_("Jalon"), _("Prévu le"), _("Atteint le"), _("État")],
            "jalon_rows": [
                [j.titre, _date(j.date_prevue), _date(j.date_reelle), _jalon_etat(j, today)]
                for j in jalons
            ],
            "jalons_atteints": sum(1 for j in jalons if j.date_reelle),
            "indicateurs": [
                {"indicateur": i, "form": forms_["indicateurs"][i.pk]} for i in indicateurs
            ],
            "indicateur_columns": [
                _("Indicateur"),
                _("Prévu"),
                _("Atteint"),
                _("Part de la cible"),
                _("Mesuré le"),
            ],
            "indicateur_rows": [
                [
                    i.nom,
                    _valeur(i.cible, i.unite),
                    _valeur(i.realise, i.unite),
                    pourcent(share) if share is not None else "—",
                    _date(i.date_mesure),
                ]
                for i, share in attainment
            ],
            "chart_labels": [i.nom for i, share in attainment if share is not None],
            "chart_values": [float(share) for _i, share in attainment if share is not None],
            "ex_ante": evaluations.get(Evaluation.Kind.EX_ANTE),
            "ex_post": evaluations.get(Evaluation.Kind.EX_POST),
            "ex_ante_badge": grade_badge(
                evaluations[Evaluation.Kind.EX_ANTE].resultat.get("note")
                if Evaluation.Kind.EX_ANTE in evaluations
                else None
            ),
            "ex_post_badge": grade_badge(
                evaluations[Evaluation.Kind.EX_POST].resultat.get("note")
                if Evaluation.Kind.EX_POST in evaluations
                else None
            ),
        },
        title=_("Suivi — %(titre)s") % {"titre": projet.titre},
        crumbs=(_("Observatoire"), projet.titre, _("Suivi")),
        status=400 if failed is not None and failed.errors else 200,
    )


def _valeur(value, unite: str) -> str:
    if value is None:
        return "—"
    return f"{nombre(value, 2)} {unite}".strip()


# --- Configuration (the structure) --------------------------------------------------------------

CONFIGURATION_FORMS = {"reglages", "axes", "axe_ajout", "question", "question_ajout"}


def _configuration_forms(post=None, bound: str | None = None) -> dict[str, Any]:
    axes = ev.grille(actifs_seulement=False)
    reglages = ev.reglages_courants()
    data = post if bound == "reglages" else None
    forms_: dict[str, Any] = {
        "axes_list": axes,
        "reglages": f.ReglagesForm(
            data,
            initial={
                "horizon_annees": str(reglages.horizon_annees),
                "taux_actualisation": f.decimal_text(reglages.taux_actualisation),
            },
        ),
        "axes": f.AxesForm(post if bound == "axes" else None, axes=axes),
        "axe_ajout": f.AxeAjoutForm(post if bound == "axe_ajout" else None),
        "questions": {},
        "question_ajout": {},
    }
    question_pk = post.get("pk", "") if post is not None and bound == "question" else ""
    axe_pk = post.get("axe", "") if post is not None and bound == "question_ajout" else ""
    for axe in axes:
        if axe.financier:
            continue
        for question in ev.questions_of(axe):
            mine = str(question.pk) == question_pk
            forms_["questions"][question.pk] = f.QuestionForm(
                post if mine else None, question=question
            )
        forms_["question_ajout"][axe.pk] = f.QuestionAjoutForm(
            post if str(axe.pk) == axe_pk else None, axe=axe
        )
    return forms_


def _configuration_target(forms_: dict, bound: str, post) -> Any:
    if bound == "question":
        pk = post.get("pk", "")
        form = forms_["questions"].get(int(pk)) if pk.isdigit() else None
    elif bound == "question_ajout":
        pk = post.get("axe", "")
        form = forms_["question_ajout"].get(int(pk)) if pk.isdigit() else None
    else:
        form = forms_[bound]
    if form is None:
        raise Http404
    return form


def _configuration_save(request, bound: str, form) -> str:
    user = request.user
    data = form.cleaned_data
    if bound == "reglages":
        ev.reglages_update(acting_user=user, **data)
        return _("Horizon et taux enregistrés : ils s’appliquent aux prochaines évaluations.")
    if bound == "axes":
        ev.axes_update(acting_user=user, changes=form.changes())
        return _("Axes enregistrés.")
    if bound == "axe_ajout":
        axe = ev.axe_create(acting_user=user, **data)
        return _("Axe « %(nom)s » ajouté : ajoutez-lui des questions.") % {"nom": axe.nom}
    if bound == "question":
        question = EvalQuestion.objects.get(pk=form.question.pk)
        ev.question_update(acting_user=user, question=question, **form.service_arguments())
        return _("Question enregistrée.")
    axe = EvalAxe.objects.get(pk=form.axe.pk)
    ev.question_create(acting_user=user, axe=axe, **form.service_arguments())
    return _("Question ajoutée à l’axe « %(nom)s ».") % {"nom": axe.nom}


@structure_view("observatoire.configurer")
def configuration(request):
    """The value analysis' grid (axes, questions, answers and their weights), the horizon and
    the discount rate."""
    bound = None
    failed = None
    if request.method == "POST":
        bound = request.POST.get("formulaire", "")
        if bound not in CONFIGURATION_FORMS:
            return HttpResponse(
                _("Formulaire inconnu."), status=400, content_type="text/plain; charset=utf-8"
            )
    forms_ = _configuration_forms(request.POST if bound else None, bound)
    if bound is not None:
        form = _configuration_target(forms_, bound, request.POST)
        if form.is_valid():
            try:
                done = _configuration_save(request, bound, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("observatoire-site:configuration_evaluation")
        failed = form
    title = _("Grille d’évaluation des projets")
    return render(
        request,
        "observatoire/evaluation/configuration.html",
        {
            "nav": "gestion",
            "title": title,
            "breadcrumbs": [*membre_crumbs(None), (_("Observatoire"), ""), (title, "")],
            "forms": forms_,
            "form": failed,
            "bound": bound or "",
            "axes": [
                {
                    "axe": axe,
                    "questions": [
                        {
                            "question": question,
                            "form": forms_["questions"][question.pk],
                            "points": ", ".join(
                                f"{c.libelle} ({nombre(c.points, 2)})" for c in question.choix.all()
                            ),
                        }
                        for question in ev.questions_of(axe)
                    ],
                    "ajout": forms_["question_ajout"].get(axe.pk),
                }
                for axe in forms_["axes_list"]
            ],
            "grades": [(letter, label, floor) for floor, letter, label in ev.GRADES],
            "taux": pourcent(ev.reglages_courants().taux_actualisation),
        },
        status=400 if failed is not None else 200,
    )
