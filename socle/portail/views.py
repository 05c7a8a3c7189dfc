"""Public pages: the platform's home and each member's home."""

import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from socle.comptes.forms import CodeForm
from socle.comptes.security import (
    second_factor_device,
    second_factor_required,
    user_security_events,
)
from socle.core.modules import registered_modules
from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.membres.selectors import (
    active_roles,
    membre_public,
    membres_for_user,
    membres_of,
    membres_public,
)
from socle.territoires.hours import horaires_en_clair
from socle.territoires.models import Collectivite
from socle.territoires.selectors import collectivite_search, commune_elus, epci_communes
from socle.territoires.svgmap import commune_map_svg, osm_url


def _alphabetical(text: str) -> str:
    """Sort key that files « Étauliers » under E, as a French reader expects."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _kind_label(collectivite: Collectivite) -> str:
    if collectivite.kind == Collectivite.Kind.EPCI and collectivite.epci_type:
        return collectivite.get_epci_type_display()
    return collectivite.get_kind_display()


def _modules(membre: Membre) -> list[dict]:
    """The modules this member offers: installed, switched on, with their public page."""
    modules = []
    for module in registered_modules():
        if not module.switchable or module.code not in membre.modules:
            continue
        try:
            url = reverse(f"{module.code}:accueil", kwargs={"slug": membre.slug})
        except NoReverseMatch:
            url = ""
        modules.append({"label": module.label, "url": url})
    return modules


@require_safe
def accueil(request):
    """The platform's home, or a member's home when served on the member's own host name."""
    host_membre = getattr(request, "host_membre", None)
    if host_membre is not None:
        return _membre_home(request, host_membre)
    query = request.GET.get("q", "").strip()[:100]
    results = []
    if query:
        found = list(collectivite_search(query))
        members = membres_of(found)
        results = [
            {
                "collectivite": collectivite,
                "kind": _kind_label(collectivite),
                "membre": members.get(collectivite.pk),
            }
            for collectivite in found
        ]
    membres = sorted(membres_public(), key=lambda membre: _alphabetical(membre.collectivite.nom))
    return render(
        request,
        "portail/accueil.html",
        {
            "nav": "accueil",
            "query": query,
            "results": results,
            "membres": [{"membre": m, "kind": _kind_label(m.collectivite)} for m in membres],
            # The members' colours, for the theme stylesheet (no inline style).
            "page_colours": [*membres, *(r["membre"] for r in results if r["membre"])],
        },
    )


@require_safe
def membre(request, slug):
    """A member's public home."""
    found = membre_public(slug)
    if found is None:
        raise Http404(_("Cette collectivité n’est pas membre de la plateforme."))
    return _membre_home(request, found)


def _membre_home(request, membre: Membre):
    collectivite = membre.collectivite
    context = {
        "membre": membre,
        "collectivite": collectivite,
        "kind": _kind_label(collectivite),
        "modules": _modules(membre),
        "nav": "accueil",
    }
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        epci = collectivite.epci
        context.update(
            {
                "horaires": horaires_en_clair(collectivite.horaires),
                "elus": commune_elus(commune=collectivite),
                "carte": commune_map_svg(collectivite),
                "osm_url": osm_url(collectivite),
                "epci": epci,
                "epci_membre": membres_of([epci]).get(epci.pk) if epci else None,
            }
        )
    elif collectivite.kind == Collectivite.Kind.EPCI:
        communes = sorted(epci_communes(collectivite), key=lambda c: _alphabetical(c.nom))
        members = membres_of(communes)
        context["communes"] = [
            {"collectivite": commune, "membre": members.get(commune.pk)} for commune in communes
        ]
    return render(request, "portail/membre.html", context)


@login_required
@require_safe
def espace(request):
    """My space: who I am, my roles, my back offices, my second factor, my recent events."""
    return render(
        request,
        "portail/espace.html",
        {
            "nav": "espace",
            "roles": active_roles(request.user).order_by("membre__slug", "kind"),
            "membres": membres_for_user(user=request.user),
            "is_operateur": grants_for(request.user).has("second_facteur.reinitialiser"),
            "second_factor": second_factor_device(request.user),
            "second_factor_required": second_factor_required(request.user),
            "security_events": user_security_events(user=request.user, limit=10),
            "code_form": CodeForm(auto_id="desactiver_%s"),
        },
    )
