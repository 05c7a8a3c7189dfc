"""The maturity diagnostic in a member's back office (history, questionnaire, one diagnostic's
radar and its comparison) and the structure's configuration of the questionnaire.

Views stay thin: `membre_view` / `structure_view` check the permission, reads and writes go
through `maturite.py`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from socle.core.forms import add_service_errors
from socle.membres.decorators import membre_view, structure_view
from socle.membres.views import membre_crumbs, membre_render
from socle.observatoire import maturite
from socle.observatoire.forms_maturite import DiagnosticForm, EnonceForm, initial_from
from socle.observatoire.models import Diagnostic
from socle.observatoire.themes import THEMES, tranche_label

TYPES = {
    "commune": _("communes"),
    "epci": _("intercommunalités"),
    "departement": _("départements"),
    "region": _("régions"),
}


def _level(value) -> str:
    return "–" if value is None else number_format(value, decimal_pos=1, use_l10n=True)


def _when(diagnostic: Diagnostic) -> str:
    return date_format(timezone.localtime(diagnostic.cree_le), "j F Y")


# The radar's axes, clockwise from the top: the kit writes a label beside its axis and clips
# what passes the drawing's edge, so the themes whose names have long words sit where there is
# room (top, bottom, the four diagonals) and those with short words on the sides.
RADAR_THEMES = [
    "administration",
    "services-usagers",
    "strategie",
    "cooperation",
    "donnee",
    "ecosysteme",
    "cybersecurite",
    "inclusion",
    "numerique-responsable",
    "amenagement",
]


def _theme_labels() -> list[str]:
    return [str(label) for label in THEMES.values()]


def _radar_labels() -> list[str]:
    return [str(THEMES[code]) for code in RADAR_THEMES]


def _values(niveaux: dict) -> list[float | None]:
    return [niveaux.get(code) for code in RADAR_THEMES]


@membre_view("observatoire.diagnostiquer", methods=["GET", "HEAD"])
def diagnostics(request, membre):
    """Every diagnostic of the member, its levels per theme over time, the latest radar."""
    history = list(maturite.diagnostics_of(membre=membre))
    rows = [
        [
            format_html(
                '<a href="{}">{}</a>',
                reverse("gestion:observatoire:diagnostic", args=[membre.slug, diagnostic.pk]),
                _when(diagnostic),
            ),
            *(_level(diagnostic.niveaux.get(code)) for code in THEMES),
            _level(maturite.niveau_moyen(diagnostic.niveaux)),
        ]
        for diagnostic in history
    ]
    chronological = list(reversed(history))
    evolution = None
    if len(chronological) >= 2:
        evolution = {
            "labels": [
                date_format(timezone.localtime(d.cree_le), "SHORT_DATE_FORMAT")
                for d in chronological
            ],
            "series": [
                (
                    _("Niveau moyen"),
                    [maturite.niveau_moyen(d.niveaux) or 0 for d in chronological],
                )
            ],
        }
    latest = history[0] if history else None
    return membre_render(
        request,
        membre,
        "observatoire/maturite/diagnostics.html",
        {
            "columns": [_("Diagnostic du"), *_theme_labels(), _("Niveau moyen")],
            "rows": rows,
            "evolution": evolution,
            "latest": latest,
            "labels": _radar_labels(),
            "radar": [(_("Niveau"), _values(latest.niveaux))] if latest else None,
        },
        title=_("Diagnostic de maturité numérique"),
        crumbs=(_("Diagnostic de maturité"),),
    )


@membre_view("observatoire.diagnostiquer")
def diagnostic_nouveau(request, membre):
    """The questionnaire, theme by theme, pre-filled with the latest diagnostic's answers."""
    enonces = maturite.enonces_actifs()
    if request.method == "POST":
        form = DiagnosticForm(request.POST, enonces=enonces)
        if form.is_valid():
            try:
                diagnostic = maturite.diagnostic_create(
                    acting_user=request.user, membre=membre, reponses=form.reponses()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Diagnostic enregistré."))
                return redirect("gestion:observatoire:diagnostic", membre.slug, diagnostic.pk)
    else:
        latest = maturite.diagnostic_latest(membre=membre)
        form = DiagnosticForm(initial=initial_from(latest), enonces=enonces)
    return membre_render(
        request,
        membre,
        "observatoire/maturite/nouveau.html",
        {"form": form, "niveaux": maturite.NIVEAUX},
        title=_("Nouveau diagnostic de maturité"),
        crumbs=(_("Diagnostic de maturité"), _("Nouveau diagnostic")),
        status=400 if form.errors else 200,
    )


def _answers(diagnostic: Diagnostic) -> list[tuple[str, list[tuple[str, str]]]]:
    """The diagnostic's answers, theme by theme: (statement, level said)."""
    enonces = {str(e.pk): e for e in maturite.enonces_tous()}
    by_theme: dict[str, list[tuple[str, str]]] = {}
    for key, level in (diagnostic.reponses or {}).items():
        enonce = enonces.get(key)
        texte = enonce.texte if enonce is not None else _("Énoncé supprimé du questionnaire")
        theme = enonce.theme if enonce is not None else ""
        said = maturite.niveau_label(level)
        if level is not None:
            said = f"{level} — {said}"
        by_theme.setdefault(theme, []).append((texte, said))
    return [
        (str(THEMES.get(code, _("Autres"))), by_theme[code])
        for code in [*THEMES, ""]
        if code in by_theme
    ]


@membre_view("observatoire.diagnostiquer", methods=["GET", "HEAD"])
def diagnostic(request, membre, pk):
    """One diagnostic: its radar, overlaid with its group's median when there are enough."""
    found = maturite.get_diagnostic_for_membre(membre=membre, pk=pk)
    comparaison = maturite.comparaison(found, viewer=request.user)
    series = [(_("Notre collectivité"), _values(found.niveaux))]
    groupe = ""
    if comparaison is not None:
        series.append((_("Médiane des collectivités comparables"), _values(comparaison.medianes)))
        groupe = _("%(n)d %(type)s de la tranche « %(tranche)s »") % {
            "n": comparaison.taille,
            "type": TYPES.get(found.type_collectivite, found.type_collectivite),
            "tranche": tranche_label(found.tranche),
        }
    return membre_render(
        request,
        membre,
        "observatoire/maturite/diagnostic.html",
        {
            "diagnostic": found,
            "quand": _when(found),
            "labels": _radar_labels(),
            "series": series,
            "comparaison": comparaison,
            "groupe": groupe,
            "min_groupe": maturite.MIN_GROUP,
            "moyen": _level(maturite.niveau_moyen(found.niveaux)),
            "reponses": _answers(found),
        },
        title=_("Diagnostic de maturité du %(d)s") % {"d": _when(found)},
        crumbs=(_("Diagnostic de maturité"), _when(found)),
    )


def _configuration_page(request, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    enonces = maturite.enonces_tous()
    used = maturite.enonces_utilises()
    groups: list[dict] = []
    for code, label in THEMES.items():
        rows = [
            {
                "enonce": enonce,
                "utilise": enonce.pk in used,
                "form": bound.get(f"e{enonce.pk}")
                or EnonceForm(
                    prefix=f"e{enonce.pk}",
                    initial={
                        "theme": enonce.theme,
                        "texte": enonce.texte,
                        "aide": enonce.aide,
                        "ordre": enonce.ordre,
                        "actif": enonce.actif,
                    },
                ),
            }
            for enonce in enonces
            if enonce.theme == code
        ]
        groups.append({"code": code, "label": label, "rows": rows})
    errors = [form for form in bound.values() if form.errors]
    return render(
        request,
        "observatoire/maturite/configuration.html",
        {
            "nav": "gestion",
            "title": _("Questionnaire de maturité"),
            "breadcrumbs": [*membre_crumbs(None), (_("Questionnaire de maturité"), "")],
            "groups": groups,
            "nouveau": bound.get("nouveau") or EnonceForm(prefix="nouveau"),
            "form": errors[0] if errors else None,
        },
        status=status,
    )


@structure_view("observatoire.configurer")
def configuration(request):
    """The questionnaire's statements, theme by theme: add, change, take out, delete."""
    if request.method != "POST":
        return _configuration_page(request)
    action = request.POST.get("action", "")
    url = reverse("observatoire-site:configuration_maturite")
    if action == "ajouter":
        form = EnonceForm(request.POST, prefix="nouveau")
        if form.is_valid():
            data = form.cleaned_data
            try:
                enonce = maturite.enonce_create(
                    acting_user=request.user,
                    theme=data["theme"],
                    texte=data["texte"],
                    aide=data["aide"],
                    ordre=data["ordre"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Énoncé ajouté."))
                return redirect(f"{url}#enonce-{enonce.pk}")
        return _configuration_page(request, {"nouveau": form}, status=400)
    enonce = maturite.get_enonce(pk=request.POST.get("enonce"))
    if action == "supprimer":
        try:
            maturite.enonce_delete(acting_user=request.user, enonce=enonce)
        except ValidationError as error:
            for message in error.messages:
                messages.warning(request, message)
        else:
            messages.success(request, _("Énoncé supprimé."))
        return redirect(f"{url}#theme-{enonce.theme}")
    if action == "modifier":
        form = EnonceForm(request.POST, prefix=f"e{enonce.pk}")
        if form.is_valid():
            try:
                maturite.enonce_update(acting_user=request.user, enonce=enonce, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Énoncé enregistré."))
                return redirect(f"{url}#enonce-{enonce.pk}")
        return _configuration_page(request, {f"e{enonce.pk}": form}, status=400)
    raise Http404
