"""Public pages: the platform's home, each member's home, the footer's pages, « Mon espace »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from socle.citoyen.selectors import citoyen_summary
from socle.comptes.forms import CodeForm
from socle.comptes.security import (
    second_factor_device,
    second_factor_required,
    user_security_events,
)
from socle.core.forms import add_service_errors
from socle.core.markdown import markdown_to_html
from socle.core.modules import registered_modules
from socle.demarches.selectors import dossiers_of_user
from socle.demarches.workflow import status_label
from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.membres.selectors import (
    active_roles,
    membre_public,
    membres_for_user,
    membres_of,
    membres_public,
)
from socle.portail.forms import PageForm
from socle.portail.selectors import landing_url, page_plateforme, pages_plateforme
from socle.portail.services import page_update
from socle.signalements.selectors import signalements_of_user
from socle.territoires.hours import horaires_en_clair
from socle.territoires.models import Collectivite, alphabetical
from socle.territoires.selectors import collectivite_search, commune_elus, epci_communes
from socle.territoires.svgmap import commune_map_svg, osm_url


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
    membres = sorted(membres_public(), key=lambda membre: alphabetical(membre.collectivite.nom))
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
        communes = sorted(epci_communes(collectivite), key=lambda c: alphabetical(c.nom))
        members = membres_of(communes)
        context["communes"] = [
            {"collectivite": commune, "membre": members.get(commune.pk)} for commune in communes
        ]
    return render(request, "portail/membre.html", context)


@login_required
@require_safe
def espace(request):
    """My space: who I am, my roles, my back offices, my second factor, my recent events."""
    roles = list(active_roles(request.user).order_by("membre__slug", "kind"))
    return render(
        request,
        "portail/espace.html",
        {
            "nav": "espace",
            # Staff wording (roles, back offices, ProConnect) only for people who hold a role.
            "has_roles": bool(roles),
            "roles": roles,
            "membres": membres_for_user(user=request.user),
            "is_operateur": grants_for(request.user).has("second_facteur.reinitialiser"),
            "second_factor": second_factor_device(request.user),
            "second_factor_required": second_factor_required(request.user),
            "security_events": user_security_events(user=request.user, limit=10),
            "code_form": CodeForm(auto_id="desactiver_%s"),
            "mes_signalements": list(signalements_of_user(request.user)[:50]),
            "dossier_citoyen": citoyen_summary(request.user),
            "mes_demarches": _mes_demarches(request.user),
        },
    )


def _mes_demarches(user) -> list[dict]:
    """The citizen's dossiers for « Mon espace »: reference, procedure, status as its workflow
    names it."""
    return [
        {
            "reference": dossier.reference,
            "titre": dossier.version.titre,
            "statut": status_label(dossier.version.workflow, dossier.statut),
            "modifie_le": dossier.modifie_le,
        }
        for dossier in dossiers_of_user(user)[:50]
    ]


@login_required
@require_safe
def apres_connexion(request):
    """Where a login without ?next= lands (LOGIN_REDIRECT_URL): each role's home."""
    return HttpResponseRedirect(landing_url(request.user))


@require_safe
def page(request, code):
    """One of the footer's pages: mentions légales, accessibilité, données personnelles, contact."""
    found = page_plateforme(code)
    if found is None:
        raise Http404(_("Cette page n’existe pas."))
    return render(
        request,
        "portail/page.html",
        {"page": found, "contenu": markdown_to_html(found.contenu), "nav": code},
    )


def _pages_crumbs(current: str = "") -> list[tuple[str, str]]:
    """Gestion › Pages du site (› the page being edited)."""
    crumbs = [(_("Gestion"), reverse("gestion:tableau"))]
    if not current:
        return [*crumbs, (_("Pages du site"), "")]
    return [*crumbs, (_("Pages du site"), reverse("pages:liste")), (current, "")]


@login_required
@require_safe
def pages_gestion(request):
    """The footer's pages, for the opérateurs who edit them."""
    if not grants_for(request.user).has("pages.modifier"):
        raise PermissionDenied
    rows = []
    for item in pages_plateforme():
        public_url = reverse(f"portail:{item.code.replace('-', '_')}")
        rows.append(
            [
                format_html(
                    '<a href="{}">{}</a>', reverse("pages:modifier", args=[item.code]), item.titre
                ),
                format_html('<a href="{}">{}</a>', public_url, public_url),
                date_format(localtime(item.updated_at), "j F Y à H:i"),
            ]
        )
    return render(
        request,
        "portail/gestion/pages.html",
        {
            "nav": "gestion",
            "title": _("Pages du site"),
            "breadcrumbs": _pages_crumbs(),
            "columns": [_("Page"), _("Adresse publique"), _("Dernière modification")],
            "rows": rows,
        },
    )


@login_required
def page_modifier(request, code):
    """Edit one of the footer's pages (Markdown), validated in one round."""
    if not grants_for(request.user).has("pages.modifier"):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    found = page_plateforme(code)
    if found is None:
        raise Http404(_("Cette page n’existe pas."))
    initial = {"titre": found.titre, "contenu": found.contenu, "conformite": found.conformite}
    form = PageForm(request.POST if request.method == "POST" else None, initial=initial, page=found)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                page_update(
                    acting_user=request.user,
                    page=found,
                    titre=form.cleaned_data["titre"],
                    contenu=form.cleaned_data["contenu"],
                    conformite=form.cleaned_data.get("conformite", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("La page « %(titre)s » a été enregistrée.") % {"titre": found.titre}
                )
                return redirect("pages:liste")
        status = 400
    return render(
        request,
        "portail/gestion/page_form.html",
        {
            "nav": "gestion",
            "title": _("Modifier la page « %(titre)s »") % {"titre": found.titre},
            "breadcrumbs": _pages_crumbs(found.titre),
            "form": form,
            "page": found,
            "public_url": reverse(f"portail:{found.code.replace('-', '_')}"),
        },
        status=status,
    )
