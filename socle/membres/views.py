"""The back office of members ("gestion"): members, services, agents, invitations, audit.

Views stay thin: `membre_view` resolves the member and checks the permission, reads go
through the selectors, writes through the services (which check the permission again); a
service's ValidationError comes back on the form, in French.
"""

import shapely
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe

from socle.comptes.forms import InvitationAcceptForm
from socle.comptes.oidc import configured_providers
from socle.comptes.security import (
    IDLE_SCOPE,
    login_or_second_factor,
    second_factor_required,
    session_passed_second_factor,
)
from socle.comptes.views import PASSWORD_ERROR_CODES
from socle.core.colours import colour_or_default
from socle.core.forms import add_service_errors
from socle.core.modules import registered_modules
from socle.membres.decorators import membre_view
from socle.membres.forms import (
    CollectiviteSearchForm,
    InvitationForm,
    MembreOnboardForm,
    MembreSettingsForm,
    ServiceForm,
)
from socle.membres.models import Membre
from socle.membres.permissions import grants_for
from socle.membres.selectors import (
    get_invitation_for_user,
    get_role_for_user,
    get_service_for_user,
    membre_audit_events,
    membre_pending_invitations,
    membre_roles,
    membre_services,
    membres_for_user,
    membres_with_permission,
)
from socle.membres.services import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    membre_onboard,
    membre_update,
    role_end,
    service_create,
    service_delete,
    service_update,
)
from socle.territoires.holdings import competences_held_by, outline_geojson
from socle.territoires.models import Collectivite
from socle.territoires.selectors import collectivite_by_key, collectivite_search


def _posted(request):
    """The submitted data on POST (even empty, so the form is bound), None otherwise."""
    return request.POST if request.method == "POST" else None


def membre_crumbs(membre: Membre | None = None, *pages) -> list[tuple[str, str]]:
    """Breadcrumbs of a back-office page: Gestion › the member › the pages given (a label, or
    a (label, url) pair for a page that leads somewhere)."""
    crumbs = [(_("Gestion"), reverse("gestion:tableau"))]
    if membre is not None:
        crumbs.append((membre.collectivite.nom, reverse("gestion:membre", args=[membre.slug])))
    crumbs.extend(page if isinstance(page, tuple) else (page, "") for page in pages)
    return crumbs


# The member's own pages, before the modules' (url name, label, permission).
PLATFORM_MENU = (
    ("gestion:membre", _lazy("Vue d’ensemble"), "membre.voir"),
    ("gestion:historique", _lazy("Historique des modifications"), "audit.lire"),
)


def membre_menu(request, membre: Membre) -> list[dict]:
    """The member's back-office menu: its own pages, then each module's, as allowed."""
    grants = grants_for(request.user)
    candidates: list[tuple[str, object, str]] = list(PLATFORM_MENU)
    for module in registered_modules():
        if module.switchable and module.code not in membre.modules:
            continue
        candidates.extend((entry.url_name, entry.label, entry.permission) for entry in module.menu)
    entries = []
    for url_name, label, permission in candidates:
        if not grants.has(permission, membre):
            continue
        try:
            url = reverse(url_name, kwargs={"slug": membre.slug})
        except NoReverseMatch:
            continue
        entries.append({"label": label, "url": url, "active": request.path == url})
    return entries


def membre_render(
    request, membre: Membre, template: str, context: dict, *, title, crumbs=(), status=200
):
    """Render a page of the member's back office: its title, breadcrumbs and menu."""
    return render(
        request,
        template,
        {
            "nav": "gestion",
            "membre": membre,
            "title": title,
            "breadcrumbs": membre_crumbs(membre, *crumbs),
            "menu": membre_menu(request, membre),
            **context,
        },
        status=status,
    )


def _collectivite_key(collectivite: Collectivite) -> str:
    return f"{collectivite.kind}:{collectivite.code}"


@login_required
@require_safe
def tableau(request):
    """The list of members the user works for (all of them for an opérateur)."""
    grants = grants_for(request.user)
    membres = list(membres_for_user(user=request.user))
    return render(
        request,
        "membres/gestion/tableau.html",
        {
            "nav": "gestion",
            "is_operateur": grants.has("membres.ajouter"),
            "is_ethique": grants.has("journal.lire_tout"),
            "membres_caption": ngettext(
                "%(count)s collectivité", "%(count)s collectivités", len(membres)
            )
            % {"count": len(membres)},
            # The members' colours, for the theme stylesheet's swatches (no inline style).
            "page_colours": membres,
            "membre_columns": [_("Collectivité"), _("Type"), _("Adresse publique"), _("État")],
            "membre_rows": [
                [
                    format_html(
                        '<span class="swatch couleur-{}" aria-hidden="true"></span> '
                        '<a href="{}">{}</a>',
                        colour_or_default(m.couleur)[1:],
                        reverse("gestion:membre", args=[m.slug]),
                        m.collectivite.nom,
                    ),
                    m.collectivite.get_kind_display(),
                    format_html(
                        '<a href="{}">/{}/</a>', reverse("portail:membre", args=[m.slug]), m.slug
                    )
                    if m.active
                    else f"/{m.slug}/",
                    _("Actif") if m.active else _("Suspendu"),
                ]
                for m in membres
            ],
            # The members whose journal the user reads (a DPO), each a link of its own.
            "journaux": membres_with_permission(user=request.user, permission="journal.lire"),
        },
    )


@login_required
def membre_nouveau(request):
    """Onboard a collectivité: find it (GET search), then fill the form (POST)."""
    if not grants_for(request.user).has("membres.ajouter"):
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
        collectivite = collectivite_by_key(request.POST.get("collectivite", ""))
        if form.is_valid():
            if collectivite is None:
                form.add_error(None, _("Choisissez d’abord une collectivité."))
            else:
                try:
                    membre = membre_onboard(
                        acting_user=request.user,
                        collectivite=collectivite,
                        slug=form.cleaned_data["slug"].strip(),
                        admin_email=form.cleaned_data["admin_email"],
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
        collectivite = collectivite_by_key(request.GET["collectivite"])
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
        "membres/gestion/membre_nouveau.html",
        {
            "nav": "gestion",
            "breadcrumbs": membre_crumbs(None, _("Ajouter un membre")),
            "title": _("Ajouter un membre"),
            "search_form": search_form,
            "results": results,
            "collectivite": collectivite,
            "form": form,
        },
        status=status,
    )


def _service_rows(membre: Membre, services, can_manage: bool) -> list[list]:
    rows = []
    for service in services:
        competences = format_html_join(
            " ", '<span class="tag">{}</span>', ((c.nom,) for c in service.competences.all())
        ) or format_html('<span class="muted">{}</span>', _("Aucune"))
        secteur = (
            service.secteur_nom or _("Secteur défini")
            if service.secteur_wkb
            else _("Tout le territoire")
        )
        row = [
            format_html('{}<br><span class="muted">{}</span>', service.nom, service.email)
            if service.email
            else service.nom,
            competences,
            secteur,
        ]
        if can_manage:
            row.append(
                format_html(
                    '<a href="{}">{}<span class="visually-hidden"> {}</span></a> · '
                    '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                    reverse("gestion:service_modifier", args=[membre.slug, service.pk]),
                    _("Modifier"),
                    service.nom,
                    reverse("gestion:service_supprimer", args=[membre.slug, service.pk]),
                    _("Supprimer"),
                    service.nom,
                )
            )
        rows.append(row)
    return rows


def _role_rows(membre: Membre, roles, can_manage: bool) -> list[list]:
    rows = []
    for role in roles:
        row = [
            format_html(
                '{}<br><span class="muted">{}</span>',
                role.user.get_full_name() or role.user.email,
                role.user.email,
            ),
            role.get_kind_display(),
            role.service.nom if role.service else "—",
        ]
        if can_manage:
            row.append(
                format_html(
                    '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                    reverse("gestion:role_terminer", args=[membre.slug, role.pk]),
                    _("Retirer"),
                    _("le rôle de %(personne)s") % {"personne": role.user.email},
                )
            )
        rows.append(row)
    return rows


def _membre_page(request, membre: Membre, settings_form=None, status=200):
    grants = grants_for(request.user)
    can_manage = grants.has("membre.reglages", membre)
    if settings_form is None and can_manage:
        settings_form = MembreSettingsForm(
            initial={
                "couleur": membre.couleur,
                "modules": membre.modules,
                "hostname": membre.hostname or "",
            }
        )
    modules = {module.code: module.label for module in registered_modules()}
    return membre_render(
        request,
        membre,
        "membres/gestion/membre.html",
        {
            "form": settings_form,
            "can_manage": can_manage,
            "can_manage_agents": grants.has("agents.gerer", membre),
            "can_manage_services": grants.has("services.gerer", membre),
            "can_support": grants.has("usagers.assister", membre),
            "can_read_journal": grants.has("journal.lire", membre),
            "can_read_audit": grants.has("audit.lire", membre),
            "is_operateur": grants.has("membre.statut", membre),
            "settings_form": settings_form,
            "modules": [modules[code] for code in membre.modules if code in modules],
            "service_columns": [_("Service"), _("Compétences"), _("Secteur")]
            + ([_("Actions")] if can_manage else []),
            "service_rows": _service_rows(membre, membre_services(membre=membre), can_manage),
            "role_columns": [_("Personne"), _("Rôle"), _("Service")]
            + ([_("Actions")] if can_manage else []),
            "role_rows": _role_rows(membre, membre_roles(membre=membre), can_manage),
            "invitations": membre_pending_invitations(membre=membre) if can_manage else [],
        },
        title=_("Gestion"),
        status=status,
    )


@membre_view("membre.voir", methods=["GET", "HEAD"])
def membre(request, membre):
    """A member's back office: summary, settings, services, agents."""
    return _membre_page(request, membre)


@membre_view("membre.reglages", methods=["POST"])
def membre_reglages(request, membre):
    """Change a member's colour and modules (host name and status: an opérateur's)."""
    form = MembreSettingsForm(request.POST)
    if form.is_valid():
        # Fields the user may not change keep their value: the service refuses any change.
        may_set_status = grants_for(request.user).has("membre.statut", membre)
        hostname = (form.cleaned_data["hostname"] or None) if may_set_status else membre.hostname
        active = None
        if may_set_status and "active" in request.POST:
            active = request.POST["active"] == "1"
        try:
            membre_update(
                acting_user=request.user,
                membre=membre,
                couleur=form.cleaned_data["couleur"],
                modules=form.cleaned_data["modules"],
                hostname=hostname,
                active=active,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les réglages ont été enregistrés."))
            return redirect("gestion:membre", slug=membre.slug)
    membre.refresh_from_db()
    return _membre_page(request, membre, settings_form=form, status=400)


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


def _secteur_geojson(service) -> str:
    """The service's current sector as GeoJSON, to show on the map ("" without one)."""
    if service is None or not service.secteur_wkb:
        return ""
    return str(shapely.to_geojson(shapely.from_wkb(bytes(service.secteur_wkb))))


def _service_form(request, membre: Membre, service=None):
    """Create a service (service None) or change one: the same form, page and messages."""
    initial = None
    if service is not None:
        initial = {
            "nom": service.nom,
            "email": service.email,
            "telephone": service.telephone,
            "competences": list(service.competences.all()),
            "secteur_nom": service.secteur_nom,
        }
    held = competences_held_by(membre.collectivite)
    form = ServiceForm(_posted(request), initial=initial, held=held)
    if form.is_bound and form.is_valid():
        try:
            if service is None:
                saved = service_create(
                    acting_user=request.user, membre=membre, **_service_kwargs(form)
                )
                done = _("Le service « %(nom)s » a été créé.")
            else:
                saved = service_update(
                    acting_user=request.user, service=service, **_service_kwargs(form)
                )
                done = _("Le service « %(nom)s » a été modifié.")
        except ValidationError as error:
            add_service_errors(form, error, SERVICE_ERROR_FIELDS)
        else:
            messages.success(request, done % {"nom": saved.nom})
            return redirect("gestion:membre", slug=membre.slug)
    if service is None:
        title, crumb = _("Créer un service"), _("Créer un service")
    else:
        title, crumb = _("Modifier le service %(nom)s") % {"nom": service.nom}, service.nom
    return membre_render(
        request,
        membre,
        "membres/gestion/service_form.html",
        {
            "form": form,
            "service": service,
            "outline": outline_geojson(membre.collectivite),
            "secteur": _secteur_geojson(service),
        },
        title=title,
        crumbs=(crumb,),
        status=400 if form.is_bound else 200,
    )


@membre_view("services.gerer")
def service_nouveau(request, membre):
    """Create a service of the member."""
    return _service_form(request, membre)


@membre_view("services.gerer")
def service_modifier(request, membre, pk):
    """Change a service of the member."""
    service = get_service_for_user(
        user=request.user, membre=membre, pk=pk, permission="services.gerer"
    )
    return _service_form(request, membre, service)


@membre_view("services.gerer")
def service_supprimer(request, membre, pk):
    """Delete a service, after confirmation."""
    service = get_service_for_user(
        user=request.user, membre=membre, pk=pk, permission="services.gerer"
    )
    if request.method == "POST":
        nom = service.nom
        service_delete(acting_user=request.user, service=service, request=request)
        messages.success(request, _("Le service « %(nom)s » a été supprimé.") % {"nom": nom})
        return redirect("gestion:membre", slug=membre.slug)
    return membre_render(
        request,
        membre,
        "membres/gestion/service_supprimer.html",
        {
            "service": service,
        },
        title=_("Supprimer le service %(nom)s ?") % {"nom": service.nom},
        crumbs=(_("Supprimer un service"),),
    )


@membre_view("agents.gerer")
def agent_inviter(request, membre):
    """Invite someone to work for the member, as agent, administrator or élu."""
    form = InvitationForm(_posted(request), services=membre_services(membre=membre))
    if form.is_bound and form.is_valid():
        try:
            invitation_create(
                acting_user=request.user,
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                membre=membre,
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
            return redirect("gestion:membre", slug=membre.slug)
    return membre_render(
        request,
        membre,
        "membres/gestion/agent_inviter.html",
        {
            "form": form,
        },
        title=_("Inviter un agent"),
        crumbs=(_("Inviter un agent"),),
        status=400 if form.is_bound else 200,
    )


@membre_view("agents.gerer")
def role_terminer(request, membre, pk):
    """End someone's role in the member, after confirmation."""
    role = get_role_for_user(user=request.user, membre=membre, pk=pk)
    if request.method == "POST":
        role_end(acting_user=request.user, role=role, request=request)
        messages.success(
            request,
            _("Le rôle de %(personne)s a pris fin.") % {"personne": role.user},
        )
        return redirect("gestion:membre", slug=membre.slug)
    return membre_render(
        request,
        membre,
        "membres/gestion/role_terminer.html",
        {
            "role": role,
        },
        title=_("Retirer ce rôle ?"),
        crumbs=(_("Retirer un rôle"),),
    )


@membre_view("agents.gerer", methods=["POST"])
def invitation_annuler(request, membre, pk):
    """Revoke a pending invitation of the member."""
    invitation = get_invitation_for_user(user=request.user, membre=membre, pk=pk)
    try:
        invitation_revoke(acting_user=request.user, invitation=invitation)
    except ValidationError as error:
        # Accepted in the meantime: say so rather than pretend it was revoked.
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("L’invitation envoyée à %(email)s est annulée.") % {"email": invitation.email},
        )
    return redirect("gestion:membre", slug=membre.slug)


AUDIT_ACTIONS = {
    "membre.onboard": _lazy("Adhésion à la plateforme"),
    "membre.update": _lazy("Réglages modifiés"),
    "service.create": _lazy("Service créé"),
    "service.update": _lazy("Service modifié"),
    "service.delete": _lazy("Service supprimé"),
    "invitation.create": _lazy("Invitation envoyée"),
    "invitation.accept": _lazy("Invitation acceptée"),
    "invitation.revoke": _lazy("Invitation annulée"),
    "role.grant": _lazy("Rôle accordé"),
    "role.end": _lazy("Rôle retiré"),
    "competence.override": _lazy("Exception de compétence"),
    "competence.transfer": _lazy("Transfert de compétence"),
}


def _audit_value(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return str(value)


def _audit_details(details: dict) -> list[str]:
    """Each detail in words: a change as « avant → après », a value as it is."""
    lines = []
    for key, value in details.items():
        if isinstance(value, dict) and set(value) == {"avant", "apres"}:
            text = f"{_audit_value(value['avant'])} → {_audit_value(value['apres'])}"
        else:
            text = _audit_value(value)
        lines.append(f"{key} : {text}")
    return lines


@membre_view("audit.lire", methods=["GET", "HEAD"])
def historique(request, membre):
    """The member's audit trail: who changed what in its set-up, newest first."""
    labels: dict[str, object] = dict(AUDIT_ACTIONS)
    for module in registered_modules():
        labels.update(module.audit_actions)
    page = Paginator(membre_audit_events(membre=membre), 50).get_page(request.GET.get("page"))
    rows = [
        [
            date_format(timezone.localtime(event.created_at), "j F Y H:i"),
            event.actor or _("la plateforme"),
            labels.get(event.action, event.action),
            event.target_label,
            format_html_join(
                "",
                '<span class="audit-detail">{}</span>',
                ((line,) for line in _audit_details(event.details)),
            ),
        ]
        for event in page.object_list
    ]
    return membre_render(
        request,
        membre,
        "membres/gestion/historique.html",
        {
            "page": page,
            "columns": [_("Date"), _("Par"), _("Action"), _("Sur"), _("Détails")],
            "rows": rows,
        },
        title=_("Historique des modifications"),
        crumbs=(_("Historique des modifications"),),
    )


# --- Accepting an invitation -------------------------------------------------------------------


def _after_acceptance_url(invitation) -> str:
    if invitation.membre is not None:
        return reverse("gestion:membre", kwargs={"slug": invitation.membre.slug})
    return reverse("gestion:tableau")


def _add_acceptance_errors(form, error: ValidationError) -> None:
    for item in error.error_list:
        message = item.message % item.params if item.params else item.message
        field = "password1" if item.code in PASSWORD_ERROR_CODES else None
        form.add_error(field, message)


@sensitive_post_parameters("password1", "password2")
def invitation(request, token):
    """Show an invitation and accept it, creating the account when needed.

    A role that requires a second factor is only reached through one: the new account (or a
    session opened without a second factor) goes through the second step of the login.
    """
    found = invitation_for_token(token)
    if found is None:
        return render(request, "membres/invitation_invalide.html", status=410)
    user = request.user
    same_person = user.is_authenticated and user.email.lower() == found.email
    form = (
        None
        if user.is_authenticated
        else InvitationAcceptForm(request.POST if request.method == "POST" else None)
    )
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if user.is_authenticated:
            try:
                invitation_accept(token=token, user=user, request=request)
            except ValidationError as error:
                errors = error.messages
                status = 400
            else:
                # The idle timeout of back-office sessions now applies to this session.
                request.session.pop(IDLE_SCOPE, None)
                messages.success(request, _("Invitation acceptée : bienvenue !"))
                if second_factor_required(user) and not session_passed_second_factor(request):
                    messages.info(request, _("Ce rôle demande un second facteur à la connexion."))
                    return login_or_second_factor(
                        request, user, redirect_to=_after_acceptance_url(found), method="invitation"
                    )
                return HttpResponseRedirect(_after_acceptance_url(found))
        else:
            # Anonymous visitors always get the form.
            assert form is not None
            status = 400
            if form.is_valid():
                try:
                    new_user = invitation_accept(
                        token=token,
                        password=form.cleaned_data["password1"],
                        first_name=form.cleaned_data["first_name"].strip(),
                        last_name=form.cleaned_data["last_name"].strip(),
                        request=request,
                    )
                except ValidationError as error:
                    _add_acceptance_errors(form, error)
                else:
                    messages.success(
                        request, _("Votre compte est créé et votre rôle est actif : bienvenue !")
                    )
                    return login_or_second_factor(
                        request,
                        new_user,
                        redirect_to=_after_acceptance_url(found),
                        method="invitation",
                    )
    return render(
        request,
        "membres/invitation.html",
        {
            "invitation": found,
            "form": form,
            "same_person": same_person,
            "errors": errors,
            "collectivite": found.membre.collectivite if found.membre else None,
            # ProConnect's first login accepts the invitations sent to its verified address.
            "proconnect": configured_providers().get("proconnect", False),
            "after_acceptance_url": _after_acceptance_url(found),
        },
        status=status,
    )
