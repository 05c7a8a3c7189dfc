"""The UI kit's documentation page: every component with fake example data.

It is public (nothing in it is real) but kept out of search engines.
"""

import re
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from socle.core.colours import theme_colours
from socle.core.templatetags.socle_kit import badge

HEX_COLOUR = re.compile(r"[0-9a-f]{6}")
MAX_THEME_COLOURS = 500

PAGE_SIZE = 8
STATUSES = {
    "nouvelle": (gettext_lazy("Nouvelle"), "info"),
    "en_cours": (gettext_lazy("En cours"), "attention"),
    "traitee": (gettext_lazy("Traitée"), "succes"),
    "rejetee": (gettext_lazy("Rejetée"), "erreur"),
    "archivee": (gettext_lazy("Archivée"), "neutre"),
}
COMMUNES = ["Bordeaux", "Pessac", "Mérignac", "Talence", "Bègles"]
SUBJECTS = ["Nid-de-poule", "Éclairage en panne", "Dépôt sauvage", "Banc abîmé", "Tag sur un mur"]
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct."]


class ExampleForm(forms.Form):
    """A form of the kit page, shown invalid on purpose."""

    nom = forms.CharField(label=gettext_lazy("Nom du service"), max_length=80)
    courriel = forms.EmailField(
        label=gettext_lazy("Adresse électronique de contact"),
        help_text=gettext_lazy("Elle sera affichée sur la page publique de la commune."),
    )
    canal = forms.ChoiceField(
        label=gettext_lazy("Canal de réponse"),
        choices=[("courriel", gettext_lazy("Courriel")), ("courrier", gettext_lazy("Courrier"))],
        widget=forms.RadioSelect,
    )
    ouverture = forms.DateField(
        label=gettext_lazy("Date d’ouverture"), help_text=gettext_lazy("Par exemple 15/09/2026.")
    )


class StatusFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("Tous"))]
        + [(key, label) for key, (label, _t) in STATUSES.items()],
    )


INVALID_EXAMPLE = {"nom": "", "courriel": "pas-une-adresse", "ouverture": "31/02/2026"}


def fake_requests() -> list[dict]:
    """45 fake citizen requests, always the same."""
    keys = list(STATUSES)
    start = date(2026, 1, 5)
    return [
        {
            "numero": f"D-2026-{number:03d}",
            "objet": SUBJECTS[number % len(SUBJECTS)],
            "commune": COMMUNES[number * 3 % len(COMMUNES)],
            "statut": keys[number * 7 % len(keys)],
            "recue": start + timedelta(days=number * 3),
        }
        for number in range(1, 46)
    ]


def kit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ExampleForm(request.POST)
        if form.is_valid():
            messages.success(
                request, _("Le formulaire d’exemple est valide. Rien n’a été enregistré.")
            )
            return redirect("kit:kit")
    else:
        form = ExampleForm(INVALID_EXAMPLE)
    filters = StatusFilterForm(request.GET)
    rows = fake_requests()
    if filters.is_valid() and filters.cleaned_data["statut"]:
        rows = [row for row in rows if row["statut"] == filters.cleaned_data["statut"]]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    table_rows = [
        [
            row["numero"],
            row["objet"],
            row["commune"],
            badge(*STATUSES[row["statut"]]),
            row["recue"].strftime("%d/%m/%Y"),
        ]
        for row in page.object_list
    ]
    title = _("Kit d’interface")
    url = reverse("kit:kit")
    response = render(
        request,
        "core/kit.html",
        {
            "title": title,
            "nav": "gestion",
            "breadcrumbs": [
                (_("Accueil"), reverse("portail:accueil")),
                (_("Gestion"), ""),
                (title, ""),
            ],
            "menu": [
                {"label": title, "url": url, "active": True},
                {"label": _("Tableau de données"), "url": "#tableau", "active": False},
                {"label": _("Formulaire"), "url": "#formulaire", "active": False},
                {"label": _("Graphiques"), "url": "#graphiques", "active": False},
            ],
            "form": form,
            "filters": filters,
            "page": page,
            "columns": [_("Numéro"), _("Objet"), _("Commune"), _("Statut"), _("Reçue le")],
            "table_rows": table_rows,
            "empty_rows": [],
            "tones": [(label, tone) for label, tone in STATUSES.values()],
            "bar": {
                "labels": COMMUNES,
                "values": [412, 238, 301, 127, 96],
            },
            "line": {
                "labels": MONTHS,
                "series": [
                    (_("Signalements"), [120, 134, 160, 152, 171, 190, 176, 140, 188, 205]),
                    (_("Démarches en ligne"), [80, 86, 95, 101, 99, 112, 90, 72, 130, 141]),
                ],
            },
            "radar": {
                "labels": [
                    _("Nécessité"),
                    _("Maîtrise des risques"),
                    _("Gains internes"),
                    _("Gains externes"),
                    _("Rentabilité"),
                ],
                "series": [
                    (_("Ex ante"), [80, 55, 70, 60, 45]),
                    (_("Ex post"), [75, 65, 60, 70, 55]),
                ],
            },
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a French page (403) instead of Django's English one."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


@require_safe
def theme_css(request: HttpRequest, colours: str) -> HttpResponse:
    """A member's theme as a stylesheet, so that pages need no inline style (CSP).

    ``colours`` is ``RRGGBB`` or ``RRGGBB.RRGGBB…``: the first is the page's theme (``:root``),
    every one also gets a class ``couleur-RRGGBB`` (a member's tag, card or swatch). The address
    says everything the answer holds, so browsers keep it for a year.
    """
    parts = colours.lower().split(".")
    if len(parts) > MAX_THEME_COLOURS or not all(HEX_COLOUR.fullmatch(part) for part in parts):
        raise Http404
    rules = []
    for index, part in enumerate(parts):
        c = theme_colours(f"#{part}")
        properties = (
            f"--theme:{c['theme']};--on-theme:{c['on_theme']};--theme-text:{c['theme_text']};"
        )
        if index == 0:
            rules.append(f":root{{{properties}}}")
        rules.append(
            f".couleur-{part}{{{properties}--card-colour:{c['theme']};}}"
            f".swatch.couleur-{part}{{background:{c['theme']};}}"
        )
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
