"""« Qui contacter ? »: the territory's page and each member's. Works without JavaScript.

GET shows the question. POST answers with the card, or — when several places match — a list
to choose from (a second POST that carries the question again, hidden, with the choice).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from socle.membres.models import Membre
from socle.membres.selectors import membre_public
from socle.routage.contact import fiche
from socle.routage.contact_forms import ChoixForm, QuestionForm

TEMPLATE = "routage/contact/qui_contacter.html"


@require_http_methods(["GET", "HEAD", "POST"])
def territoire(request: HttpRequest) -> HttpResponse:
    """The whole territory's page (a member's, on the member's own host name)."""
    return _qui_contacter(request, getattr(request, "host_membre", None))


@require_http_methods(["GET", "HEAD", "POST"])
def membre(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's page: its communes, its addresses first."""
    found = membre_public(slug)
    if found is None:
        raise Http404(_("Cette collectivité n’est pas membre de la plateforme."))
    return _qui_contacter(request, found)


def _qui_contacter(request: HttpRequest, membre: Membre | None) -> HttpResponse:
    context: dict = {"membre": membre, "nav": "qui-contacter"}
    if request.method != "POST":
        context["form"] = QuestionForm(membre=membre)
        return render(request, TEMPLATE, context)
    if request.POST.get("etape") == "choix":
        # The second step: the place chosen comes signed from the first; no new search.
        chosen = ChoixForm(request.POST)
        if chosen.is_valid() and chosen.probleme_choisi is not None:
            context["fiche"] = fiche(chosen.cleaned_data["lieu"], chosen.probleme_choisi)
            return render(request, TEMPLATE, context)
    form = QuestionForm(request.POST, membre=membre)
    if not form.is_valid():
        context["form"] = form
        return render(request, TEMPLATE, context)
    probleme = form.probleme_choisi
    places = form.places
    context["notice"] = form.notice
    if len(places) > 1:
        choosing = request.POST.get("etape") == "choix"
        choix = ChoixForm(
            request.POST if choosing else None,
            places=places,
            initial={key: form.cleaned_data[key] for key in ("adresse", "commune", "probleme")},
        )
        # Shown (again, with its error when the choice was missing or tampered with).
        context.update({"choix": choix, "probleme": probleme})
        return render(request, TEMPLATE, context)
    context["fiche"] = fiche(places[0], probleme)
    return render(request, TEMPLATE, context)
