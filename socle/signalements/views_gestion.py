"""The back office of reports: a member's queue, map, report page and actions, dashboard,
CSV export and settings, and the opérateur's page of reports for non-members.

Views stay thin: `membre_view` resolves the member and checks the permission, reads go through
the selectors (a report always through `get_signalement_for_user`), writes through the
services, whose ValidationError comes back on the form, in French, with a 400.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from socle.core.forms import add_service_errors
from socle.core.templatetags.socle_kit import badge
from socle.membres.decorators import membre_view
from socle.membres.selectors import agent_of, agents_of
from socle.membres.views import membre_crumbs, membre_render
from socle.signalements import forms as f
from socle.signalements import selectors as sel
from socle.signalements import services
from socle.signalements.models import Envoi, Evenement, Signalement
from socle.territoires.holdings import competences_held_by, outline_geojson
from socle.territoires.selectors import competences_by_ids

PAGE_SIZE = 25
MAP_LIMIT = 1000
S = Signalement.Statut

STATUS_TONES: dict[str, str] = {
    S.NOUVEAU: "info",
    S.PRIS_EN_COMPTE: "neutre",
    S.PROGRAMME: "neutre",
    S.EN_COURS: "neutre",
    S.RESOLU: "succes",
    S.REJETE: "erreur",
    S.DOUBLON: "neutre",
}
TRANSMISSION = {
    "transmis": (_lazy("Transmis"), "succes"),
    "en_cours": (_lazy("Transmission en cours"), "info"),
    "echec": (_lazy("Transmission en échec"), "erreur"),
    "aucun": (_lazy("Aucun envoi"), "neutre"),
}
ENVOI_STATES = {
    "livre": (_lazy("Remis"), "succes"),
    "en_attente": (_lazy("En attente"), "info"),
    "echec": (_lazy("En échec"), "erreur"),
}


def _module_on(membre) -> None:
    if "signalements" not in (membre.modules or []):
        raise Http404


def status_badges(signalement: Signalement, transmission: str | None = None) -> list:
    """The badges of a report: status, priority, and what an agent should know."""
    found = [badge(signalement.get_statut_display(), STATUS_TONES.get(signalement.statut, ""))]
    if signalement.priorite == Signalement.Priorite.HAUTE:
        found.append(badge(_("Priorité haute"), "attention"))
    if signalement.position_approchee:
        found.append(badge(_("Position approchée"), "attention"))
    if signalement.publie_le is None:
        found.append(badge(_("Non publié (à relire)"), "attention"))
    if signalement.masque_le is not None:
        found.append(badge(_("Masqué"), "erreur"))
    if transmission is not None:
        label, tone = TRANSMISSION[transmission]
        found.append(badge(label, tone))
    return found


def _badges_html(badges: list):
    return format_html(
        '<span class="signalement-badges">{}</span>',
        format_html("".join(["{}"] * len(badges)), *badges) if badges else "",
    )


# --- The queue ---------------------------------------------------------------------------------


def _filtered(request, membre):
    """The queue's form and the reports it selects (ordered)."""
    data = request.GET.copy()
    data.setdefault("statut", "ouverts")
    form = f.QueueFilterForm(
        data,
        categories=sel.queue_categories(membre=membre),
        services=sel.queue_services(user=request.user, membre=membre),
    )
    qs = sel.signalements_for_user(user=request.user, membre=membre)
    qs = sel.queue_filter(qs, **form.filters()).select_related("service")
    return form, qs.order_by(*form.ordering())


def _queue_rows(membre, reports) -> list[list]:
    states = sel.transmission_states(reports)
    rows = []
    for report in reports:
        url = reverse("gestion:signalements:detail", args=[membre.slug, report.reference])
        rows.append(
            [
                format_html('<a href="{}">{}</a>', url, report.reference),
                date_format(timezone.localtime(report.cree_le), "SHORT_DATETIME_FORMAT"),
                report.categorie_nom,
                format_html(
                    "{}<br><span class='hint'>{}</span>", report.commune_nom, report.adresse
                )
                if report.adresse
                else report.commune_nom,
                report.service.nom if report.service else "—",
                report.get_priorite_display(),
                _badges_html(status_badges(report, states[report.pk])),
            ]
        )
    return rows


QUEUE_COLUMNS = (
    _lazy("Référence"),
    _lazy("Reçu le"),
    _lazy("Catégorie"),
    _lazy("Lieu"),
    _lazy("Service"),
    _lazy("Priorité"),
    _lazy("État"),
)


@membre_view("signalements.voir", methods=["GET", "HEAD"])
def file(request, membre):
    """The reports the user may see, filtered from the URL, open ones newest first."""
    _module_on(membre)
    form, qs = _filtered(request, membre)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return membre_render(
        request,
        membre,
        "signalements/gestion/file.html",
        {
            "form": form,
            "page": page,
            "columns": QUEUE_COLUMNS,
            "rows": _queue_rows(membre, list(page.object_list)),
            "query": request.GET.urlencode(),
        },
        title=_("Signalements"),
        crumbs=(_("Signalements"),),
        status=400 if form.errors else 200,
    )


@membre_view("signalements.voir", methods=["GET", "HEAD"])
def carte(request, membre):
    """The same reports as points on a map, with a plain list as the text alternative."""
    _module_on(membre)
    form, qs = _filtered(request, membre)
    reports = list(qs[:MAP_LIMIT])
    points = [
        {
            "reference": r.reference,
            "lat": r.lat,
            "lon": r.lon,
            "categorie": r.categorie_nom,
            "statut": r.get_statut_display(),
            "url": reverse("gestion:signalements:detail", args=[membre.slug, r.reference]),
        }
        for r in reports
    ]
    return membre_render(
        request,
        membre,
        "signalements/gestion/carte.html",
        {
            "form": form,
            "reports": reports,
            "points": points,
            "outline": outline_geojson(membre.collectivite),
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
            "truncated": qs.count() > MAP_LIMIT,
            "query": request.GET.urlencode(),
        },
        title=_("Carte des signalements"),
        crumbs=(_("Carte des signalements"),),
        status=400 if form.errors else 200,
    )


# --- A report and its actions ------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """An agent's action on a report: its form and what it does with it."""

    form: type
    run: Callable
    done: Any


def _agent(request, membre, signalement, form):
    agent = None
    if form.cleaned_data["agent"]:
        agent = agent_of(membre=membre, pk=form.cleaned_data["agent"])
        if agent is None:
            raise ValidationError(
                {"agent": _("Cette personne n’est pas agent de la collectivité.")}
            )
    services.signalement_assign(acting_user=request.user, signalement=signalement, agent=agent)


def _reroute(request, membre, signalement, form):
    service = sel.reroute_target(form.cleaned_data["service"])
    if service is None:
        raise ValidationError({"service": _("Choisissez un service de la liste.")})
    services.signalement_reroute(
        acting_user=request.user,
        signalement=signalement,
        service=service,
        motif=form.cleaned_data["motif"],
    )


def _merge(request, membre, signalement, form):
    original = sel.signalement_of_membre(membre=membre, reference=form.cleaned_data["original"])
    if original is None:
        raise ValidationError(
            {"original": _("Aucun signalement de la collectivité n’a cette référence.")}
        )
    services.signalement_merge(acting_user=request.user, signalement=signalement, original=original)


def _photo_hide(request, membre, signalement, form):
    photo = sel.photo_of(signalement, form.cleaned_data["photo"])
    if photo is None:
        raise Http404
    services.photo_hide(acting_user=request.user, photo=photo)


def _retry(request, membre, signalement, form):
    envoi = sel.envoi_of(signalement, form.cleaned_data["envoi"])
    if envoi is None:
        raise Http404
    services.envoi_retry(acting_user=request.user, envoi=envoi)


def _position(request, membre, signalement, form):
    services.signalement_position_set(
        acting_user=request.user,
        signalement=signalement,
        lat=form.cleaned_data["lat"],
        lon=form.cleaned_data["lon"],
    )


ACTIONS: dict[str, Action] = {
    "prendre-en-compte": Action(
        f.EmptyForm,
        lambda request, membre, s, form: services.signalement_acknowledge(
            acting_user=request.user, signalement=s
        ),
        _lazy("Le signalement est pris en compte."),
    ),
    "statut": Action(
        f.StatutForm,
        lambda request, membre, s, form: services.signalement_status_set(
            acting_user=request.user, signalement=s, **form.cleaned_data
        ),
        _lazy("Le statut a été changé."),
    ),
    "repondre": Action(
        f.ReponseForm,
        lambda request, membre, s, form: services.signalement_reply(
            acting_user=request.user, signalement=s, texte=form.cleaned_data["texte"]
        ),
        _lazy("La réponse a été publiée."),
    ),
    "note": Action(
        f.NoteForm,
        lambda request, membre, s, form: services.signalement_note(
            acting_user=request.user, signalement=s, texte=form.cleaned_data["note"]
        ),
        _lazy("La note interne a été ajoutée."),
    ),
    "attribuer": Action(f.AttribuerForm, _agent, _lazy("L’attribution a été enregistrée.")),
    "priorite": Action(
        f.PrioriteForm,
        lambda request, membre, s, form: services.signalement_priority_set(
            acting_user=request.user, signalement=s, priorite=form.cleaned_data["priorite"]
        ),
        _lazy("La priorité a été changée."),
    ),
    "reorienter": Action(f.ReorienterForm, _reroute, _lazy("Le signalement a été réorienté.")),
    "doublon": Action(f.DoublonForm, _merge, _lazy("Le signalement est clos comme doublon.")),
    "publier": Action(
        f.EmptyForm,
        lambda request, membre, s, form: services.signalement_publish(
            acting_user=request.user, signalement=s
        ),
        _lazy("Le signalement est publié."),
    ),
    "masquer": Action(
        f.MasquerForm,
        lambda request, membre, s, form: services.signalement_hide(
            acting_user=request.user, signalement=s, motif=form.cleaned_data["motif"]
        ),
        _lazy("Le signalement est masqué au public."),
    ),
    "demasquer": Action(
        f.EmptyForm,
        lambda request, membre, s, form: services.signalement_show(
            acting_user=request.user, signalement=s
        ),
        _lazy("Le signalement est de nouveau visible."),
    ),
    "masquer-photo": Action(f.PhotoForm, _photo_hide, _lazy("La photo est masquée au public.")),
    "expurger": Action(
        f.ExpurgerForm,
        lambda request, membre, s, form: services.signalement_redact(
            acting_user=request.user, signalement=s, description=form.cleaned_data["description"]
        ),
        _lazy("La description publiée a été modifiée."),
    ),
    "position": Action(f.PositionForm, _position, _lazy("La position a été corrigée.")),
    "relancer": Action(f.EnvoiForm, _retry, _lazy("Le message est renvoyé.")),
}


# Folded under « Autres actions » on the report's page.
SECONDARY_ACTIONS = (
    "attribuer",
    "priorite",
    "reorienter",
    "doublon",
    "masquer",
    "expurger",
    "position",
)


def _action_form(name: str, membre, data=None, initial=None):
    form_class = ACTIONS[name].form
    # The page holds every action's form: ids unique per action, or « Réponse publique »
    # labels the status form's « texte » field.
    auto_id = "id_" + name.replace("-", "_") + "_%s"
    if form_class is f.AttribuerForm:
        return form_class(data, agents=agents_of(membre=membre), initial=initial, auto_id=auto_id)
    if form_class is f.ReorienterForm:
        return form_class(data, services=sel.reroute_targets(), initial=initial, auto_id=auto_id)
    return form_class(data, initial=initial, auto_id=auto_id)


def _detail(request, membre, signalement, *, failed=None, contact=None, status=200):
    """The report's page; `failed` is (action name, bound form with errors)."""
    modele = None
    if request.method == "GET" and request.GET.get("modele"):
        modele = sel.modele_reponse_of(membre=membre, pk=request.GET["modele"])
    initials = {
        "statut": {"statut": signalement.statut if signalement.statut != S.DOUBLON else ""},
        "priorite": {"priorite": signalement.priorite},
        "attribuer": {"agent": str(signalement.assigne_a_id or "")},
        "expurger": {"description": signalement.description},
        "position": {"lat": signalement.lat, "lon": signalement.lon},
        "repondre": {"texte": modele.texte} if modele else {},
    }
    action_forms = {
        name.replace("-", "_"): _action_form(name, membre, initial=initials.get(name))
        for name in ACTIONS
    }
    if failed is not None:
        action_forms[failed[0].replace("-", "_")] = failed[1]
    envois = sel.envois_of(signalement)
    photos = [
        (photo, _photo_url(photo, "vignette"), _photo_url(photo, "image"))
        for photo in sel.photos_of(signalement)
    ]
    return membre_render(
        request,
        membre,
        "signalements/gestion/detail.html",
        {
            "signalement": signalement,
            "badges": status_badges(signalement, sel.transmission_state(signalement)),
            "recipient": services.recipient_label(signalement),
            # Each event with its status's label (the event stores the code: « resolu »).
            "evenements": [
                (evenement, S(evenement.statut).label if evenement.statut in S.values else "")
                for evenement in sel.evenements_of(signalement, membre=membre)
            ],
            "envois": [(envoi, *ENVOI_STATES[state], state) for envoi, state in envois],
            "photos": photos,
            "forms": action_forms,
            "failed": failed[0] if failed else "",
            "secondary_actions": SECONDARY_ACTIONS,
            "form": failed[1] if failed else None,
            "can_treat": services.grants_can_treat(request.user, signalement),
            "contact": contact,
            "modeles": sel.modeles_reponse_of(membre=membre),
            "destinataire_citoyen": Envoi.Destinataire.CITOYEN,
            "note_kind": Evenement.Kind.NOTE,
        },
        title=_("Signalement %(ref)s") % {"ref": signalement.reference},
        crumbs=(_("Signalement %(ref)s") % {"ref": signalement.reference},),
        status=status,
    )


def _photo_url(photo, taille: str) -> str:
    try:
        return reverse("signalements-site:photo", kwargs={"pk": photo.pk, "taille": taille})
    except NoReverseMatch:
        return f"/signalements/photos/{photo.pk}/{taille}.jpg"


@membre_view("signalements.voir", methods=["GET", "HEAD"])
def detail(request, membre, reference):
    """Everything about one report: its photos, history, messages, and the actions."""
    _module_on(membre)
    signalement = sel.get_signalement_for_user(
        user=request.user, membre=membre, reference=reference
    )
    return _detail(request, membre, signalement)


@membre_view("signalements.traiter", methods=["POST"])
def coordonnees(request, membre, reference):
    """Show the reporter's contact details, once, journaled; never in the page otherwise."""
    _module_on(membre)
    signalement = sel.get_signalement_for_user(
        user=request.user, membre=membre, reference=reference
    )
    contact = services.signalement_contact_read(
        acting_user=request.user, signalement=signalement, request=request
    )
    return _detail(request, membre, signalement, contact=contact or {"vide": True})


@membre_view("signalements.traiter", methods=["POST"])
def action(request, membre, reference, action):
    """Run one action on a report (POST/redirect/GET); its errors on the report's page."""
    _module_on(membre)
    if action not in ACTIONS:
        raise Http404
    signalement = sel.get_signalement_for_user(
        user=request.user, membre=membre, reference=reference
    )
    spec = ACTIONS[action]
    form = _action_form(action, membre, data=request.POST)
    if form.is_valid():
        try:
            spec.run(request, membre, signalement, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(spec.done))
            # A re-routed report may have left the user's queue: back to the queue then.
            try:
                sel.get_signalement_for_user(user=request.user, membre=membre, reference=reference)
            except Http404:
                return redirect("gestion:signalements:file", slug=membre.slug)
            return redirect("gestion:signalements:detail", slug=membre.slug, reference=reference)
    return _detail(request, membre, signalement, failed=(action, form), status=400)


# --- Dashboard and export ----------------------------------------------------------------------


def _hours(value: float | None) -> str:
    if value is None:
        return _("pas encore de donnée")
    if value < 48:
        return _("%(n)s h") % {"n": f"{value:.1f}".replace(".", ",")}
    return _("%(n)s jours") % {"n": f"{value / 24:.1f}".replace(".", ",")}


@membre_view("signalements.voir", methods=["GET", "HEAD"])
def tableau(request, membre):
    """Counts by status and category, median times, reports per week; a period filter."""
    _module_on(membre)
    form = f.PeriodForm(request.GET)
    qs = sel.signalements_for_user(user=request.user, membre=membre)
    weekly_qs = qs
    if form.is_valid():
        if form.cleaned_data["depuis"]:
            qs = qs.filter(cree_le__date__gte=form.cleaned_data["depuis"])
        if form.cleaned_data["jusqu_a"]:
            qs = qs.filter(cree_le__date__lte=form.cleaned_data["jusqu_a"])
    numbers = sel.dashboard_of(qs)
    weeks = sel.weeks_of(weekly_qs)
    return membre_render(
        request,
        membre,
        "signalements/gestion/tableau.html",
        {
            "form": form,
            "numbers": numbers,
            "first_response": _hours(numbers.median_first_response_h),
            "resolution": _hours(numbers.median_resolution_h),
            "status_labels": [label for label, _n in numbers.by_status],
            "status_values": [n for _label, n in numbers.by_status],
            "category_labels": [label for label, _n in numbers.by_category],
            "category_values": [n for _label, n in numbers.by_category],
            "week_labels": [label for label, _n in weeks],
            "week_series": [(_("Signalements reçus"), [n for _label, n in weeks])],
        },
        title=_("Tableau de bord des signalements"),
        crumbs=(_("Tableau de bord des signalements"),),
        status=400 if form.errors else 200,
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _iso(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _delay_hours(start, end) -> str:
    if not start or not end:
        return ""
    return f"{(end - start).total_seconds() / 3600:.1f}"


@membre_view("signalements.voir", methods=["GET", "HEAD"])
def export_csv(request, membre):
    """The filtered queue as CSV, without any personal data."""
    _module_on(membre)
    form, qs = _filtered(request, membre)
    if form.errors:
        return HttpResponse(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="signalements-{membre.slug}-{stamp}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Référence"),
            _("Reçu le"),
            _("Modifié le"),
            _("Catégorie"),
            _("Commune"),
            _("Adresse"),
            _("Statut"),
            _("Service"),
            _("Priorité"),
            _("Première réponse (heures)"),
            _("Résolution (heures)"),
        ]
    )
    for report in qs.iterator():
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    report.reference,
                    _iso(report.cree_le),
                    _iso(report.modifie_le),
                    report.categorie_nom,
                    report.commune_nom,
                    report.adresse,
                    report.get_statut_display(),
                    report.service.nom if report.service else "",
                    report.get_priorite_display(),
                    _delay_hours(report.cree_le, report.premiere_reponse_le),
                    _delay_hours(report.cree_le, report.resolu_le),
                )
            ]
        )
    return response


# --- Settings ----------------------------------------------------------------------------------


def _reglages_forms(membre, *, bound=None, data=None):
    """Every form of the settings page; `bound` names the one `data` fills."""
    reglages = sel.reglages_for(membre)
    categories = sel.category_settings_of(membre=membre)
    held = competences_held_by(membre.collectivite)
    competences = competences_by_ids(held)

    def make(name, factory):
        return factory(data if bound == name else None)

    return {
        "general": make(
            "general",
            lambda d: f.ReglagesForm(
                d,
                initial={
                    "moderation_prealable": reglages.moderation_prealable,
                    "retention_mois": reglages.retention_mois,
                },
            ),
        ),
        "categorie": make("categorie", lambda d: f.CategorieReglageForm(d)),
        "propre": make("propre", lambda d: f.CategoriePropreForm(d, competences=competences)),
        "question": make("question", lambda d: f.QuestionForm(d, categories=categories)),
        "modele": make("modele", lambda d: f.ModeleReponseForm(d)),
        "supprimer_question": make("supprimer_question", lambda d: f.SuppressionForm(d)),
        "supprimer_modele": make("supprimer_modele", lambda d: f.SuppressionForm(d)),
    }, categories


def _reglages_save(request, membre, name: str, form) -> str:
    """Run the service of the settings form `name`; return the success message."""
    data = form.cleaned_data
    user = request.user
    if name == "general":
        services.signalements_reglages_update(
            acting_user=user,
            membre=membre,
            moderation_prealable=data["moderation_prealable"],
            retention_mois=data["retention_mois"],
        )
        return _("Les réglages ont été enregistrés.")
    if name == "categorie":
        categorie = sel.category_for_settings(membre=membre, pk=data["categorie"])
        if categorie is None:
            raise Http404
        services.categorie_reglage_set(
            acting_user=user,
            membre=membre,
            categorie=categorie,
            active=data["active"],
            nom=data["nom"],
        )
        return _("La catégorie a été modifiée.")
    if name == "propre":
        competence = next(iter(competences_by_ids([data["competence"]])), None)
        services.categorie_create(
            acting_user=user,
            membre=membre,
            nom=data["nom"],
            competence=competence,
            description=data["description"],
        )
        return _("La catégorie a été ajoutée.")
    if name == "question":
        categorie = sel.category_for_settings(membre=membre, pk=data["categorie"])
        if categorie is None:
            raise ValidationError({"categorie": _("Choisissez une catégorie de la liste.")})
        services.question_create(
            acting_user=user,
            membre=membre,
            categorie=categorie,
            libelle=data["libelle"],
            kind=data["kind"],
            choix=data["choix"].splitlines(),
            obligatoire=data["obligatoire"],
            aide=data["aide"],
        )
        return _("La question a été ajoutée.")
    if name == "modele":
        services.modele_reponse_create(
            acting_user=user, membre=membre, titre=data["titre"], texte=data["texte"]
        )
        return _("Le modèle de réponse a été ajouté.")
    if name == "supprimer_question":
        question = sel.question_of(membre=membre, pk=data["pk"])
        if question is None:
            raise Http404
        services.question_delete(acting_user=user, membre=membre, question=question)
        return _("La question a été supprimée.")
    modele = sel.modele_reponse_of(membre=membre, pk=data["pk"])
    if modele is None:
        raise Http404
    services.modele_reponse_delete(acting_user=user, membre=membre, modele=modele)
    return _("Le modèle de réponse a été supprimé.")


@membre_view("signalements.regler")
def reglages(request, membre):
    """Moderation, retention, categories, questions and response templates of the member."""
    _module_on(membre)
    bound = None
    if request.method == "POST":
        bound = request.POST.get("formulaire", "")
        if bound not in {
            "general",
            "categorie",
            "propre",
            "question",
            "modele",
            "supprimer_question",
            "supprimer_modele",
        }:
            return HttpResponse(
                _("Formulaire inconnu."), status=400, content_type="text/plain; charset=utf-8"
            )
    forms_, categories = _reglages_forms(membre, bound=bound, data=request.POST)
    if bound is not None:
        form = forms_[bound]
        if form.is_valid():
            try:
                done = _reglages_save(request, membre, bound, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("gestion:signalements:reglages", slug=membre.slug)
    failed = forms_[bound] if bound is not None else None
    return membre_render(
        request,
        membre,
        "signalements/gestion/reglages.html",
        {
            "forms": forms_,
            "form": failed,
            "bound": bound or "",
            "categories": categories,
            "modeles": sel.modeles_reponse_of(membre=membre),
        },
        title=_("Réglages des signalements"),
        crumbs=(_("Réglages des signalements"),),
        status=400 if failed is not None else 200,
    )


# --- The opérateur's page ----------------------------------------------------------------------


@login_required
@require_safe
def hors_membres(request):
    """The reports whose competent collectivité is not a member, with the mairie's contact."""
    qs = sel.signalements_hors_membres(user=request.user).order_by("-cree_le", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    reports = list(page.object_list)
    states = sel.transmission_states(reports)
    rows = []
    for report in reports:
        contact = report.contact or {}
        mairie = (contact.get("collectivite") or {}).get("nom") or report.titulaire_nom
        reach = " · ".join(
            part for part in (contact.get("email", ""), contact.get("telephone", "")) if part
        )
        label, tone = TRANSMISSION[states[report.pk]]
        rows.append(
            [
                report.reference,
                date_format(timezone.localtime(report.cree_le), "SHORT_DATETIME_FORMAT"),
                report.categorie_nom,
                report.commune_nom,
                format_html("{}<br><span class='hint'>{}</span>", mairie, reach or _("—")),
                report.get_statut_display(),
                badge(label, tone),
            ]
        )
    return render(
        request,
        "signalements/gestion/hors_membres.html",
        {
            "nav": "gestion",
            "title": _("Signalements hors membres"),
            "breadcrumbs": [*membre_crumbs(None), (_("Signalements hors membres"), "")],
            "page": page,
            "rows": rows,
            "columns": (
                _("Référence"),
                _("Reçu le"),
                _("Catégorie"),
                _("Commune"),
                _("Mairie à contacter"),
                _("Statut"),
                _("Transfert"),
            ),
        },
    )
