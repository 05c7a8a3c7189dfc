"""The back office ("gestion"): members, services, agents and competences.

Views stay thin: reads go through the selectors (which check the user's rights on the member),
writes through the services; a service's ValidationError comes back on the form, in French.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from socle.comptes.journal_selectors import (
    user_is_ethique,
    user_may_read_journal,
    user_may_support,
)
from socle.comptes.models import Role
from socle.comptes.selectors import (
    membre_pending_invitations,
    membre_roles,
    user_is_operateur,
    user_member_roles,
)
from socle.comptes.services import invitation_create, invitation_revoke, role_end
from socle.territoires.forms import (
    CollectiviteSearchForm,
    InvitationForm,
    MembreOnboardForm,
    MembreSettingsForm,
    OverrideForm,
    ServiceForm,
    TransferForm,
    add_service_errors,
    alphabetical,
)
from socle.territoires.models import Collectivite, Competence, Membre
from socle.territoires.routing import resolve_holders
from socle.territoires.selectors import (
    collectivite_search,
    get_membre_for_user,
    get_service_for_user,
    membre_services,
    membres_for_user,
)
from socle.territoires.services import (
    competence_override_set,
    competence_transfer_set,
    membre_onboard,
    membre_update,
    service_create,
    service_delete,
    service_update,
)


def _posted(request):
    """The submitted data on POST (even empty, so the form is bound), None otherwise."""
    return request.POST if request.method == "POST" else None


def _can_manage(user, membre: Membre) -> bool:
    return user_is_operateur(user) or Role.Kind.ADMINISTRATEUR in user_member_roles(user, membre)


def _crumbs(membre: Membre | None = None, *pages) -> list[tuple[str, str]]:
    crumbs = [(_("Gestion"), reverse("gestion:tableau"))]
    if membre is not None:
        crumbs.append((membre.collectivite.nom, reverse("gestion:membre", args=[membre.slug])))
    crumbs.extend((page, "") for page in pages)
    return crumbs


def _collectivite_key(collectivite: Collectivite) -> str:
    return f"{collectivite.kind}:{collectivite.code}"


def _collectivite_from_key(key: str) -> Collectivite | None:
    """Find an active collectivité by its natural key "kind:code", through the search."""
    kind, _sep, code = key.partition(":")
    if not code:
        return None
    for collectivite in collectivite_search(code, limit=100):
        if collectivite.kind == kind and collectivite.code == code:
            return collectivite
    return None


@login_required
@require_safe
def tableau(request):
    """The list of members the user works for (all of them for an opérateur)."""
    return render(
        request,
        "territoires/gestion/tableau.html",
        {
            "nav": "gestion",
            "is_operateur": user_is_operateur(request.user),
            "is_ethique": user_is_ethique(request.user),
            "membres": membres_for_user(user=request.user),
        },
    )


@login_required
def membre_nouveau(request):
    """Onboard a collectivité: find it (GET search), then fill the form (POST)."""
    if not user_is_operateur(request.user):
        raise PermissionDenied
    search_form = CollectiviteSearchForm(request.GET or None)
    results = []
    if search_form.is_valid() and search_form.cleaned_data["q"]:
        found = list(collectivite_search(search_form.cleaned_data["q"]))
        already = {
            membre.collectivite_id: membre
            for membre in membres_for_user(user=request.user).filter(collectivite__in=found)
        }
        results = [
            {"collectivite": c, "key": _collectivite_key(c), "membre": already.get(c.pk)}
            for c in found
        ]

    collectivite = None
    form = None
    status = 200
    if request.method == "POST":
        form = MembreOnboardForm(request.POST)
        collectivite = _collectivite_from_key(request.POST.get("collectivite", ""))
        if form.is_valid():
            if collectivite is None:
                form.add_error(None, _("Choisissez d’abord une collectivité."))
            else:
                try:
                    membre = membre_onboard(
                        collectivite=collectivite,
                        slug=form.cleaned_data["slug"].strip(),
                        admin_email=form.cleaned_data["admin_email"],
                        by=request.user,
                        couleur=form.cleaned_data["couleur"],
                        modules=form.cleaned_data["modules"],
                        hostname=form.cleaned_data["hostname"] or None,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _(
                            "%(nom)s a rejoint la plateforme. "
                            "Une invitation a été envoyée à %(email)s."
                        )
                        % {"nom": collectivite.nom, "email": form.cleaned_data["admin_email"]},
                    )
                    return redirect("gestion:membre", slug=membre.slug)
        status = 400
    elif request.GET.get("collectivite"):
        collectivite = _collectivite_from_key(request.GET["collectivite"])
        if collectivite is None:
            raise Http404
        form = MembreOnboardForm(
            initial={
                "collectivite": _collectivite_key(collectivite),
                "slug": slugify(collectivite.nom)[:60],
                "couleur": "#1f4e8c",
            }
        )
    return render(
        request,
        "territoires/gestion/membre_nouveau.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(None, _("Ajouter un membre")),
            "search_form": search_form,
            "results": results,
            "collectivite": collectivite,
            "form": form,
        },
        status=status,
    )


def _membre_page(request, membre: Membre, settings_form=None, status=200):
    can_manage = _can_manage(request.user, membre)
    if settings_form is None and can_manage:
        settings_form = MembreSettingsForm(
            initial={
                "couleur": membre.couleur,
                "modules": membre.modules,
                "hostname": membre.hostname or "",
            }
        )
    return render(
        request,
        "territoires/gestion/membre.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(membre),
            "membre": membre,
            "can_manage": can_manage,
            "can_support": user_may_support(request.user, membre),
            "can_read_journal": user_may_read_journal(request.user, membre),
            "is_operateur": user_is_operateur(request.user),
            "settings_form": settings_form,
            "modules": [
                Membre.Module(m).label for m in membre.modules if m in Membre.Module.values
            ],
            "services": membre_services(membre=membre),
            "roles": membre_roles(membre=membre),
            "invitations": membre_pending_invitations(membre=membre) if can_manage else [],
        },
        status=status,
    )


@login_required
@require_safe
def membre(request, slug):
    """A member's back office: summary, settings, services, agents."""
    return _membre_page(request, get_membre_for_user(user=request.user, slug=slug))


@login_required
@require_POST
def membre_reglages(request, slug):
    """Change a member's colour, modules and host name (and status, for an opérateur)."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    form = MembreSettingsForm(request.POST)
    if form.is_valid():
        active = None
        # Status and host name are the structure's to set: a host name decides which site
        # answers on an address, so an administrator must not be able to claim any.
        hostname = found.hostname
        if user_is_operateur(request.user):
            hostname = form.cleaned_data["hostname"] or None
            if "active" in request.POST:
                active = request.POST["active"] == "1"
        try:
            membre_update(
                membre=found,
                couleur=form.cleaned_data["couleur"],
                modules=form.cleaned_data["modules"],
                hostname=hostname,
                active=active,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les réglages ont été enregistrés."))
            return redirect("gestion:membre", slug=found.slug)
    found.refresh_from_db()
    return _membre_page(request, found, settings_form=form, status=400)


def _holders(commune: Collectivite, competences) -> dict[int, dict]:
    """Who holds each competence in this commune, and whether an exception says so."""
    overridden = set(commune.overrides.values_list("competence_id", flat=True))
    resolved = resolve_holders(commune, competences)
    holders = {}
    for competence in competences:
        holder = resolved[competence.pk]
        holders[competence.pk] = {
            "holder": holder,
            "holder_kind": Collectivite.Kind(holder.kind).label,
            "override": competence.pk in overridden,
        }
    return holders


@login_required
def competences(request, slug):
    """Who holds each competence; an administrator sets exceptions or transfers."""
    found = get_membre_for_user(user=request.user, slug=slug)
    collectivite = found.collectivite
    can_manage = _can_manage(request.user, found)
    catalogue = sorted(Competence.objects.all(), key=lambda c: alphabetical(c.nom))
    form: OverrideForm | TransferForm | None = None
    status = 200
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        form = OverrideForm(_posted(request), commune=collectivite)
    elif collectivite.kind == Collectivite.Kind.EPCI:
        form = TransferForm(_posted(request))

    if request.method == "POST":
        get_membre_for_user(user=request.user, slug=slug, manage=True)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if isinstance(form, OverrideForm):
                    holder = form.holder_collectivite()
                    # Handing a competence to another collectivité gives it work: only the
                    # structure, which hears both sides, records that.
                    if (
                        holder is not None
                        and holder.pk != collectivite.pk
                        and not user_is_operateur(request.user)
                    ):
                        raise ValidationError(
                            {
                                "holder": _(
                                    "Seul un opérateur de la plateforme peut confier cette "
                                    "compétence à une autre collectivité."
                                )
                            }
                        )
                    competence_override_set(
                        commune=collectivite,
                        competence=form.cleaned_data["competence"],
                        holder=holder,
                    )
                else:
                    competence_transfer_set(
                        epci=collectivite,
                        competence=form.cleaned_data["competence"],
                        transferred=form.transferred(),
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("La règle a été enregistrée."))
                return redirect("gestion:competences", slug=found.slug)
        status = 400

    rows = []
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        holders = _holders(collectivite, catalogue)
        rows = [{"competence": c, **holders[c.pk]} for c in catalogue]
    elif collectivite.kind == Collectivite.Kind.EPCI:
        transfers = {t.competence_id: t.transferred for t in collectivite.transfers.all()}
        rows = [
            {
                "competence": c,
                "by_law": collectivite.epci_type in (c.epci_types or []),
                "transferred": transfers.get(c.pk),
            }
            for c in catalogue
        ]
    return render(
        request,
        "territoires/gestion/competences.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(found, _("Compétences")),
            "membre": found,
            "collectivite": collectivite,
            "can_manage": can_manage,
            "rows": rows,
            "form": form if can_manage else None,
        },
        status=status,
    )


def _service_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "nom": data["nom"],
        "competences": list(data["competences"]),
        "email": data["email"],
        "telephone": data["telephone"].strip(),
        "secteur_nom": data["secteur_nom"].strip(),
        "secteur_geojson": data["secteur_geojson"].strip() or None,
    }


SERVICE_ERROR_FIELDS = {"secteur": "secteur_geojson"}


@login_required
def service_nouveau(request, slug):
    """Create a service of the member."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    form = ServiceForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            service = service_create(membre=found, **_service_kwargs(form))
        except ValidationError as error:
            add_service_errors(form, error, SERVICE_ERROR_FIELDS)
        else:
            messages.success(
                request, _("Le service « %(nom)s » a été créé.") % {"nom": service.nom}
            )
            return redirect("gestion:membre", slug=found.slug)
    return render(
        request,
        "territoires/gestion/service_form.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(found, _("Créer un service")),
            "membre": found,
            "form": form,
            "service": None,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def service_modifier(request, slug, pk):
    """Change a service of the member."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    service = get_service_for_user(user=request.user, membre=found, pk=pk, manage=True)
    initial = {
        "nom": service.nom,
        "email": service.email,
        "telephone": service.telephone,
        "competences": list(service.competences.all()),
        "secteur_nom": service.secteur_nom,
    }
    form = ServiceForm(_posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            service_update(service=service, **_service_kwargs(form))
        except ValidationError as error:
            add_service_errors(form, error, SERVICE_ERROR_FIELDS)
        else:
            messages.success(
                request, _("Le service « %(nom)s » a été modifié.") % {"nom": service.nom}
            )
            return redirect("gestion:membre", slug=found.slug)
    return render(
        request,
        "territoires/gestion/service_form.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(found, service.nom),
            "membre": found,
            "form": form,
            "service": service,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def service_supprimer(request, slug, pk):
    """Delete a service, after confirmation."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    service = get_service_for_user(user=request.user, membre=found, pk=pk, manage=True)
    if request.method == "POST":
        nom = service.nom
        service_delete(service=service, by=request.user, request=request)
        messages.success(request, _("Le service « %(nom)s » a été supprimé.") % {"nom": nom})
        return redirect("gestion:membre", slug=found.slug)
    return render(
        request,
        "territoires/gestion/service_supprimer.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(found, _("Supprimer un service")),
            "membre": found,
            "service": service,
        },
    )


@login_required
def agent_inviter(request, slug):
    """Invite someone to work for the member, as agent, administrator or élu."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    form = InvitationForm(_posted(request), services=membre_services(membre=found))
    if form.is_bound and form.is_valid():
        try:
            invitation_create(
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                invited_by=request.user,
                membre=found,
                service=form.cleaned_data["service"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Une invitation a été envoyée à %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("gestion:membre", slug=found.slug)
    return render(
        request,
        "territoires/gestion/agent_inviter.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(found, _("Inviter un agent")),
            "membre": found,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def role_terminer(request, slug, pk):
    """End someone's role in the member, after confirmation."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    role = membre_roles(membre=found).filter(pk=pk).first()
    if role is None:
        raise Http404
    if request.method == "POST":
        role_end(role=role, ended_by=request.user, request=request)
        messages.success(
            request,
            _("Le rôle de %(personne)s a pris fin.") % {"personne": role.user},
        )
        return redirect("gestion:membre", slug=found.slug)
    return render(
        request,
        "territoires/gestion/role_terminer.html",
        {
            "nav": "gestion",
            "breadcrumbs": _crumbs(found, _("Retirer un rôle")),
            "membre": found,
            "role": role,
        },
    )


@login_required
@require_POST
def invitation_annuler(request, slug, pk):
    """Revoke a pending invitation of the member."""
    found = get_membre_for_user(user=request.user, slug=slug, manage=True)
    invitation = membre_pending_invitations(membre=found).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    invitation_revoke(invitation=invitation)
    messages.success(
        request, _("L’invitation envoyée à %(email)s est annulée.") % {"email": invitation.email}
    )
    return redirect("gestion:membre", slug=found.slug)
