"""The roadmap pages of a member's back office (ambition, axes and their projects, milestones,
adopted versions) and the structure's coherence view of a territory's roadmaps.

Views stay thin: `membre_view` / `structure_view` check the permission, reads go through the
selectors of `feuilles.py`, writes through its services. The roadmap page takes every change
as a POST naming its `action`; a refused change shows the page again with the form's errors
(status 400), an accepted one redirects back to the part of the page it changed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from socle.core.forms import add_service_errors
from socle.membres.decorators import membre_view, structure_view
from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.membres.selectors import membres_with_permission
from socle.membres.views import membre_crumbs, membre_render
from socle.observatoire import feuilles as sel
from socle.observatoire.forms_feuilles import (
    AdoptionForm,
    AmbitionForm,
    AxeForm,
    JalonForm,
    NouveauProjetForm,
    RattacherForm,
    ZoneForm,
)
from socle.observatoire.models import Projet
from socle.observatoire.selectors import projets_of_membre
from socle.observatoire.themes import theme_label

STATUTS = dict(Projet.Statut.choices)


def _page_url(membre: Membre, anchor: str = "") -> str:
    url = reverse("gestion:observatoire:feuille", args=[membre.slug])
    return f"{url}#{anchor}" if anchor else url


def _etat(feuille, versions) -> str:
    """Where the roadmap stands, in words."""
    if not versions:
        return _("Projet de feuille de route : aucune version adoptée pour le moment.")
    latest = versions[0]
    said = _("Version %(n)d adoptée le %(d)s") % {
        "n": latest.numero,
        "d": date_format(latest.adoptee_le, "j F Y"),
    }
    if feuille.modifie_le > latest.adoptee_le:
        said += _(" ; modifiée depuis : les changements seront dans la prochaine version adoptée.")
    return said


def _axe_forms(membre: Membre, axes, bound: dict[str, Any]) -> list[dict[str, Any]]:
    """Each axis with its forms: the bound one that was posted with errors, else fresh ones."""
    rows = []
    projets = sel.projets_rattachables(membre=membre)
    for axe in axes:
        under = [projet.pk for projet in axe.projets.all()]
        rows.append(
            {
                "axe": axe,
                "themes": [theme_label(code) for code in axe.themes],
                "projets": [
                    {
                        "projet": projet,
                        "statut": STATUTS.get(projet.statut, projet.statut),
                        "logiciels": [logiciel.nom for logiciel in projet.logiciels.all()],
                    }
                    for projet in axe.projets.all()
                ],
                "form": bound.get(f"axe-{axe.pk}")
                or AxeForm(
                    prefix=f"axe-{axe.pk}",
                    initial={
                        "titre": axe.titre,
                        "description": axe.description,
                        "themes": axe.themes,
                    },
                ),
                "peut_rattacher": projets.exclude(pk__in=under).exists(),
                "rattacher": bound.get(f"rattacher-{axe.pk}")
                or RattacherForm(
                    prefix=f"rattacher-{axe.pk}", projets=projets.exclude(pk__in=under)
                ),
                "nouveau": bound.get(f"projet-{axe.pk}")
                or NouveauProjetForm(prefix=f"projet-{axe.pk}"),
            }
        )
    return rows


def _feuille_page(request, membre: Membre, bound: dict[str, Any] | None = None, status=200):
    bound = bound or {}
    feuille = sel.feuille_of(membre=membre)
    axes = sel.feuille_axes(feuille)
    jalons = sel.feuille_jalons(feuille)
    versions = list(sel.feuille_versions(membre=membre))
    grants = grants_for(request.user)
    departement, region = sel.membre_zone_codes(membre)
    coherence_url = ""
    if grants.has("observatoire.coherence", membre):
        zone = f"departement-{departement}" if departement else f"region-{region}"
        coherence_url = reverse("observatoire-site:coherence") + f"?zone={zone}"
    errors = [form for form in bound.values() if form.errors]
    return membre_render(
        request,
        membre,
        "observatoire/feuilles/feuille.html",
        {
            "feuille": feuille,
            "etat": _etat(feuille, versions),
            "ambition_form": bound.get("ambition")
            or AmbitionForm(initial={"ambition": feuille.ambition}),
            "axes": _axe_forms(membre, axes, bound),
            "axe_form": bound.get("nouvel-axe") or AxeForm(prefix="nouvel-axe"),
            "jalons": [
                {
                    "jalon": jalon,
                    "form": bound.get(f"jalon-{jalon.pk}")
                    or JalonForm(
                        prefix=f"jalon-{jalon.pk}",
                        initial={
                            "titre": jalon.titre,
                            "date": jalon.date,
                            "atteint": jalon.atteint,
                        },
                    ),
                }
                for jalon in jalons
            ],
            "jalon_form": bound.get("nouveau-jalon") or JalonForm(prefix="nouveau-jalon"),
            "versions": versions,
            "peut_adopter": grants.has("observatoire.feuille_adopter", membre),
            "adoption_form": bound.get("adoption") or AdoptionForm(),
            "coherence_url": coherence_url,
            # base.html prefixes the page title with « Erreur : » when `form` has errors.
            "form": errors[0] if errors else None,
        },
        title=_("Feuille de route numérique"),
        crumbs=(_("Feuille de route numérique"),),
        status=status,
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _try(form, call) -> bool:
    """Run a service call; put its ValidationError on the form. Tell whether it went through."""
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _post(request, membre: Membre):  # noqa: C901 - one branch per action of the page
    """Apply one change of the roadmap page; return a response, or the bound forms in error."""
    action = request.POST.get("action", "")
    user = request.user
    form: forms.Form
    if action == "ambition":
        form = AmbitionForm(request.POST)
        if form.is_valid() and _try(
            form,
            lambda: sel.feuille_update(
                acting_user=user, membre=membre, ambition=form.cleaned_data["ambition"]
            ),
        ):
            messages.success(request, _("Ambition enregistrée."))
            return _page_url(membre, "ambition")
        return {"ambition": form}
    if action == "axe_ajouter":
        form = AxeForm(request.POST, prefix="nouvel-axe")
        if form.is_valid() and _try(
            form, lambda: sel.axe_create(acting_user=user, membre=membre, **form.cleaned_data)
        ):
            messages.success(
                request, _("Axe « %(t)s » ajouté.") % {"t": form.cleaned_data["titre"]}
            )
            return _page_url(membre, "axes")
        return {"nouvel-axe": form}
    if action == "jalon_ajouter":
        form = JalonForm(request.POST, prefix="nouveau-jalon")
        if form.is_valid() and _try(
            form, lambda: sel.jalon_create(acting_user=user, membre=membre, **form.cleaned_data)
        ):
            messages.success(request, _("Jalon ajouté."))
            return _page_url(membre, "jalons")
        return {"nouveau-jalon": form}
    if action.startswith("jalon_"):
        jalon = sel.get_jalon_for_membre(membre=membre, pk=request.POST.get("jalon"))
        if action == "jalon_supprimer":
            sel.jalon_delete(acting_user=user, jalon=jalon)
            messages.success(request, _("Jalon « %(t)s » supprimé.") % {"t": jalon.titre})
            return _page_url(membre, "jalons")
        if action == "jalon_modifier":
            form = JalonForm(request.POST, prefix=f"jalon-{jalon.pk}")
            if form.is_valid() and _try(
                form, lambda: sel.jalon_update(acting_user=user, jalon=jalon, **form.cleaned_data)
            ):
                messages.success(request, _("Jalon enregistré."))
                return _page_url(membre, "jalons")
            return {f"jalon-{jalon.pk}": form}
        raise Http404
    axe = sel.get_axe_for_membre(membre=membre, pk=request.POST.get("axe"))
    anchor = f"axe-{axe.pk}-titre"
    if action == "axe_modifier":
        form = AxeForm(request.POST, prefix=f"axe-{axe.pk}")
        if form.is_valid() and _try(
            form, lambda: sel.axe_update(acting_user=user, axe=axe, **form.cleaned_data)
        ):
            messages.success(request, _("Axe « %(t)s » enregistré.") % {"t": axe.titre})
            return _page_url(membre, anchor)
        return {f"axe-{axe.pk}": form}
    if action == "axe_supprimer":
        sel.axe_delete(acting_user=user, axe=axe)
        messages.success(request, _("Axe « %(t)s » supprimé.") % {"t": axe.titre})
        return _page_url(membre, "axes")
    if action in ("axe_monter", "axe_descendre"):
        sel.axe_move(acting_user=user, axe=axe, offset=-1 if action == "axe_monter" else 1)
        messages.success(request, _("Ordre des axes enregistré."))
        return _page_url(membre, anchor)
    if action == "projet_rattacher":
        form = RattacherForm(
            request.POST,
            prefix=f"rattacher-{axe.pk}",
            projets=sel.projets_rattachables(membre=membre),
        )
        if form.is_valid() and _try(
            form,
            lambda: sel.axe_projet_attach(
                acting_user=user, axe=axe, projet=form.cleaned_data["projet"]
            ),
        ):
            messages.success(request, _("Projet placé sous l’axe « %(t)s ».") % {"t": axe.titre})
            return _page_url(membre, anchor)
        return {f"rattacher-{axe.pk}": form}
    if action == "projet_detacher":
        number = _int(request.POST.get("projet"))
        projet = (
            projets_of_membre(membre=membre).filter(pk=number).first()
            if number is not None
            else None
        )
        if projet is None:
            raise Http404
        sel.axe_projet_detach(acting_user=user, axe=axe, projet=projet)
        messages.success(
            request,
            _("« %(p)s » n’est plus sous l’axe « %(t)s ».") % {"p": projet.titre, "t": axe.titre},
        )
        return _page_url(membre, anchor)
    if action == "projet_creer":
        form = NouveauProjetForm(request.POST, prefix=f"projet-{axe.pk}")
        if form.is_valid():
            data = form.cleaned_data
            if _try(
                form,
                lambda: sel.axe_projet_create(
                    acting_user=user,
                    axe=axe,
                    titre=data["titre"],
                    themes=[data["theme"]] if data["theme"] else None,
                    statut=data["statut"],
                ),
            ):
                messages.success(
                    request,
                    _(
                        "Projet « %(p)s » créé en brouillon sous l’axe « %(t)s » : complétez-le "
                        "dans « Observatoire : nos projets »."
                    )
                    % {"p": data["titre"], "t": axe.titre},
                )
                return _page_url(membre, anchor)
        return {f"projet-{axe.pk}": form}
    raise Http404


@membre_view("observatoire.feuille_modifier")
def feuille(request, membre):
    """The member's roadmap: its ambition, axes and projects, milestones, adopted versions."""
    if request.method == "POST":
        outcome = _post(request, membre)
        if isinstance(outcome, str):
            return redirect(outcome)
        return _feuille_page(request, membre, bound=outcome, status=400)
    return _feuille_page(request, membre)


@membre_view("observatoire.feuille_adopter")
def feuille_adopter(request, membre):
    """Record that the roadmap as it stands was adopted, as its next version."""
    form = AdoptionForm(request.POST) if request.method == "POST" else AdoptionForm()
    if request.method == "POST" and form.is_valid():
        try:
            version = sel.feuille_adopt(
                acting_user=request.user, membre=membre, instance=form.cleaned_data["instance"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(n)d de la feuille de route enregistrée comme adoptée.")
                % {"n": version.numero},
            )
            return redirect("gestion:observatoire:feuille_version", membre.slug, version.numero)
    feuille = sel.feuille_of(membre=membre)
    return membre_render(
        request,
        membre,
        "observatoire/feuilles/adopter.html",
        {
            "form": form,
            "contenu": sel.contenu_lisible(sel.feuille_snapshot(feuille)),
            "prochaine": _prochaine(membre),
        },
        title=_("Adopter la feuille de route"),
        crumbs=(_("Feuille de route numérique"), _("Adopter")),
        status=400 if form.errors else 200,
    )


def _prochaine(membre: Membre) -> int:
    """The number the next adopted version will get."""
    latest = sel.feuille_versions(membre=membre).values_list("numero", flat=True).first()
    return (latest or 0) + 1


@membre_view("observatoire.feuille_modifier", methods=["GET", "HEAD"])
def feuille_version(request, membre, numero):
    """An adopted version, as it was adopted (read only)."""
    version = sel.feuille_version_get(membre=membre, numero=numero)
    return membre_render(
        request,
        membre,
        "observatoire/feuilles/version.html",
        {"version": version, "contenu": sel.contenu_lisible(version.contenu)},
        title=_("Feuille de route : version %(n)d") % {"n": version.numero},
        crumbs=(_("Feuille de route numérique"), _("Version %(n)d") % {"n": version.numero}),
    )


def _zones_for(user, zones: dict) -> dict:
    """The zones a person may compare: every one for the structure; for a member's staff, the
    régions of their members and the départements in them (roadmaps in draft are shared among
    neighbours, not nationwide)."""
    held = grants_for(user).membre_ids("observatoire.coherence")
    if held is None:
        return zones
    regions = set()
    for membre in membres_with_permission(
        user=user, permission="observatoire.coherence"
    ).select_related("collectivite__departement__region", "collectivite__region"):
        _departement, region = sel.membre_zone_codes(membre)
        if region:
            regions.add(region)
    return {
        "departement": [
            d for d in zones["departement"] if d.region is not None and d.region.code in regions
        ],
        "region": [r for r in zones["region"] if r.code in regions],
    }


def _default_zone(user, zones: dict) -> str:
    """The département of the user's member (its région for a région), else the first one."""
    held = grants_for(user).membre_ids("observatoire.coherence")
    if held:
        membre = (
            membres_with_permission(user=user, permission="observatoire.coherence")
            .select_related("collectivite__departement__region", "collectivite__region")
            .filter(active=True)
            .order_by("slug")
            .first()
        )
        if membre is not None:
            departement, region = sel.membre_zone_codes(membre)
            if departement:
                return f"departement-{departement}"
            if region:
                return f"region-{region}"
    if zones["departement"]:
        return f"departement-{zones['departement'][0].code}"
    if zones["region"]:
        return f"region-{zones['region'][0].code}"
    return ""


@structure_view("observatoire.coherence", methods=["GET", "HEAD"])
def coherence(request):
    """A département's or a région's roadmaps side by side: overlaps, themes nobody covers, a
    map and the same as a list."""
    zones = _zones_for(request.user, sel.zones())
    chosen = request.GET.get("zone") or _default_zone(request.user, zones)
    form = ZoneForm({"zone": chosen}, zones=zones)
    view = None
    status = 200
    if chosen and form.is_valid():
        kind, _sep, code = form.cleaned_data["zone"].partition("-")
        view = sel.coherence(
            departement_code=code if kind == "departement" else None,
            region_code=code if kind == "region" else None,
        )
    elif chosen:
        status = 400
    title = _("Cohérence des feuilles de route")
    if view is not None:
        title = _("Feuilles de route : %(zone)s") % {"zone": view.zone.nom}
    return render(
        request,
        "observatoire/feuilles/coherence.html",
        {
            "nav": "gestion",
            "title": title,
            "breadcrumbs": [*membre_crumbs(None), (_("Cohérence des feuilles de route"), "")],
            "zone_form": form,
            "form": form if form.errors else None,
            "vue": view,
            "tiles_url": settings.MAP_TILES_URL,
            "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
        status=status,
    )
