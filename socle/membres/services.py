"""Writes on members, services, roles and invitations.

Every function takes `acting_user` (None only when the platform itself acts: a command, the
demo), checks the permission it needs in socle.membres.permissions, and writes an audit event in
the same transaction as the change (`audit_record`, which every module calls too).
"""

import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import shapely
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.comptes.models import SecurityEvent, User
from socle.comptes.security import security_event_record
from socle.comptes.services import account_address_proven, user_create
from socle.core.modules import module_codes, reserved_slugs
from socle.core.outbox import outbox_enqueue_email
from socle.membres.models import STRUCTURE_ROLES, AuditEvent, Invitation, Membre, Role, Service
from socle.membres.permissions import grants_forget, permission_check
from socle.membres.selectors import invitations_pending
from socle.territoires.models import Collectivite, Competence
from socle.territoires.services import routing_rules_changed

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
HOSTNAME_RE = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


# --- The audit trail ---------------------------------------------------------------------------


def acting_person(acting_user):
    """Return the person behind a change, or None for the platform itself or an anonymous one."""
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def audit_record(
    *,
    acting_user,
    membre: Membre | None,
    action: str,
    target: models.Model | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Record who changed what, on what, for which member, in the change's transaction."""
    return AuditEvent.objects.create(
        actor=acting_person(acting_user),
        membre=membre,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        details=details or {},
    )


def _changes(before: dict, after: dict) -> dict:
    """The fields that changed, each as {"avant": …, "apres": …}."""
    return {
        key: {"avant": before[key], "apres": after[key]}
        for key in before
        if before[key] != after[key]
    }


# --- Members -----------------------------------------------------------------------------------


def membre_fields_clean(
    *,
    slug: str,
    couleur: str,
    modules: list[str],
    hostname: str | None,
    membre: Membre | None = None,
) -> str | None:
    """Check a member's address, colour, modules and host name all at once; return the host
    name normalised. Forms call it too, so that every field is checked in one round."""
    errors = {}
    if slug != slugify(slug) or not slug:
        errors["slug"] = _("L'adresse ne peut contenir que a-z, 0-9 et des tirets.")
    elif slug in reserved_slugs():
        errors["slug"] = _("Cette adresse est réservée.")
    elif membre is None and Membre.objects.filter(slug=slug).exists():
        errors["slug"] = _("Cette adresse est déjà utilisée.")
    if not COLOR_RE.match(couleur):
        errors["couleur"] = _("La couleur doit être au format #RRVVBB.")
    unknown = set(modules) - set(module_codes())
    if unknown:
        errors["modules"] = _("Module inconnu : %s") % ", ".join(sorted(unknown))
    if hostname:
        hostname = hostname.strip().lower()
        taken = Membre.objects.filter(hostname=hostname)
        if membre is not None:
            taken = taken.exclude(pk=membre.pk)
        if not HOSTNAME_RE.fullmatch(hostname):
            errors["hostname"] = _("Nom d'hôte invalide.")
        elif hostname == urlsplit(settings.SITE_URL).hostname:
            errors["hostname"] = _("C'est l'adresse de la plateforme elle-même.")
        elif taken.exists():
            errors["hostname"] = _("Ce nom d'hôte est déjà utilisé.")
    if errors:
        raise ValidationError(errors)
    return hostname or None


@transaction.atomic
def membre_onboard(
    *,
    acting_user,
    collectivite: Collectivite,
    slug: str,
    admin_email: str | None,
    couleur: str = "#1f4e8c",
    modules: list[str] | None = None,
    hostname: str | None = None,
) -> Membre:
    """Make a collectivité a member and invite its first administrator, if given."""
    permission_check(acting_user, "membres.ajouter")
    modules = list(modules or [])
    hostname = membre_fields_clean(slug=slug, couleur=couleur, modules=modules, hostname=hostname)
    if not collectivite.active:
        raise ValidationError(_("Cette collectivité n'existe plus (commune fusionnée)."))
    if Membre.objects.filter(collectivite=collectivite).exists():
        raise ValidationError(_("Cette collectivité est déjà membre."))
    membre = Membre.objects.create(
        collectivite=collectivite, slug=slug, couleur=couleur, modules=modules, hostname=hostname
    )
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="membre.onboard",
        target=membre,
        details={"slug": slug, "modules": modules, "hostname": hostname},
    )
    if admin_email:
        invitation_create(
            acting_user=acting_user,
            email=admin_email,
            kind=Role.Kind.ADMINISTRATEUR,
            membre=membre,
        )
    routing_rules_changed()
    return membre


@transaction.atomic
def membre_update(
    *,
    acting_user,
    membre: Membre,
    couleur: str,
    modules: list[str],
    hostname: str | None = None,
    active: bool | None = None,
) -> Membre:
    """Change a member's theme and modules; its host name and status are the structure's."""
    permission_check(acting_user, "membre.reglages", membre)
    if (hostname or None) != membre.hostname or (active is not None and active != membre.active):
        # A host name decides which site answers on an address: an administrator must not be
        # able to claim any.
        permission_check(acting_user, "membre.statut", membre)
    hostname = membre_fields_clean(
        slug=membre.slug, couleur=couleur, modules=modules, hostname=hostname, membre=membre
    )
    before = {
        "couleur": membre.couleur,
        "modules": membre.modules,
        "hostname": membre.hostname,
        "active": membre.active,
    }
    membre.couleur, membre.modules, membre.hostname = couleur, modules, hostname
    fields = ["couleur", "modules", "hostname"]
    if active is not None:
        membre.active = active
        fields.append("active")
    membre.save(update_fields=fields)
    after = {key: getattr(membre, key) for key in before}
    changed = _changes(before, after)
    if changed:
        audit_record(
            acting_user=acting_user,
            membre=membre,
            action="membre.update",
            target=membre,
            details=changed,
        )
    routing_rules_changed()
    return membre


# --- Services ----------------------------------------------------------------------------------


def _parse_secteur(geojson: str | None) -> bytes | None:
    if not geojson:
        return None
    try:
        geom = shapely.from_geojson(geojson)
    except Exception as exc:  # noqa: BLE001 - shapely raises several kinds here
        raise ValidationError({"secteur": _("Secteur illisible : GeoJSON attendu.")}) from exc
    if geom.geom_type not in {"Polygon", "MultiPolygon"} or geom.is_empty:
        raise ValidationError({"secteur": _("Le secteur doit être un polygone.")})
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return shapely.to_wkb(geom)


def _clean_service_name(*, membre: Membre, nom: str, service: Service | None = None) -> str:
    """Return the name, stripped, if it is given and no other service of the member has it."""
    nom = nom.strip()
    if not nom:
        raise ValidationError({"nom": _("Le nom du service est obligatoire.")})
    others = Service.objects.filter(membre=membre, nom=nom)
    if service is not None:
        others = others.exclude(pk=service.pk)
    if others.exists():
        raise ValidationError({"nom": _("Un service porte déjà ce nom.")})
    return nom


def _service_summary(service: Service) -> dict:
    return {
        "nom": service.nom,
        "email": service.email,
        "telephone": service.telephone,
        "competences": sorted(service.competences.values_list("code", flat=True)),
        "secteur": service.secteur_nom,
    }


@transaction.atomic
def service_create(
    *,
    acting_user,
    membre: Membre,
    nom: str,
    competences: list[Competence],
    email: str = "",
    telephone: str = "",
    secteur_nom: str = "",
    secteur_geojson: str | None = None,
) -> Service:
    """Create a service of a member, handling some competences, maybe in a sector."""
    permission_check(acting_user, "services.gerer", membre)
    nom = _clean_service_name(membre=membre, nom=nom)
    service = Service.objects.create(
        membre=membre,
        nom=nom,
        email=email,
        telephone=telephone,
        secteur_nom=secteur_nom,
        secteur_wkb=_parse_secteur(secteur_geojson),
    )
    service.competences.set(competences)
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="service.create",
        target=service,
        details=_service_summary(service),
    )
    routing_rules_changed()
    return service


@transaction.atomic
def service_update(
    *,
    acting_user,
    service: Service,
    nom: str,
    competences: list[Competence],
    email: str = "",
    telephone: str = "",
    secteur_nom: str = "",
    secteur_geojson: str | None = None,
) -> Service:
    """Change a service; an empty sector keeps the current one."""
    permission_check(acting_user, "services.gerer", service.membre)
    nom = _clean_service_name(membre=service.membre, nom=nom, service=service)
    before = _service_summary(service)
    service.nom, service.email, service.telephone = nom, email, telephone
    service.secteur_nom = secteur_nom
    fields = ["nom", "email", "telephone", "secteur_nom"]
    if secteur_geojson:
        service.secteur_wkb = _parse_secteur(secteur_geojson)
        fields.append("secteur_wkb")
    service.save(update_fields=fields)
    service.competences.set(competences)
    after = _service_summary(service)
    changed = _changes(before, after)
    if secteur_geojson:
        changed["secteur_geometrie"] = {"avant": "", "apres": _("nouveau tracé")}
    audit_record(
        acting_user=acting_user,
        membre=service.membre,
        action="service.update",
        target=service,
        details=changed,
    )
    routing_rules_changed()
    return service


@transaction.atomic
def service_delete(*, acting_user, service: Service, request=None) -> None:
    """Delete a service, ending its agents' roles first (their history stays)."""
    permission_check(acting_user, "services.gerer", service.membre)
    for role in Role.objects.filter(service=service, ended_at__isnull=True):
        role_end(acting_user=acting_user, role=role, request=request)
    audit_record(
        acting_user=acting_user,
        membre=service.membre,
        action="service.delete",
        target=service,
        details=_service_summary(service),
    )
    service.delete()
    routing_rules_changed()


# --- Invitations and roles ---------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    """Return the absolute URL where an invitation is accepted."""
    return settings.SITE_URL + reverse("membres:invitation", kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *,
    acting_user,
    email: str,
    kind: str,
    membre: Membre | None = None,
    service: Service | None = None,
) -> tuple[Invitation, str]:
    """Invite someone to take a role, and email the link; return the invitation and its token."""
    if membre is None:
        # Structure-wide roles are given by the structure.
        permission_check(acting_user, "membres.ajouter")
    else:
        permission_check(acting_user, "agents.gerer", membre)
    email = email.strip().lower()
    if kind not in Role.Kind.values:
        raise ValidationError(_("Rôle inconnu."))
    if (kind in STRUCTURE_ROLES) != (membre is None):
        raise ValidationError(
            _("Seuls les rôles d'opérateur et de comité d'éthique se passent de collectivité.")
        )
    if service is not None and service.membre_id != getattr(membre, "pk", None):
        raise ValidationError(_("Ce service n'appartient pas à cette collectivité."))
    token = secrets.token_urlsafe(32)
    inviter = acting_person(acting_user)
    invitation = Invitation.objects.create(
        email=email,
        kind=kind,
        membre=membre,
        service=service,
        token_hash=_hash_token(token),
        invited_by=inviter,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    audit_record(
        acting_user=acting_user,
        membre=membre,
        action="invitation.create",
        target=invitation,
        details={"role": kind, "service": service.nom if service else None},
    )
    context = {
        "invitation": invitation,
        "role": invitation.get_kind_display(),
        "collectivite": membre.collectivite.nom if membre else settings.SITE_NAME,
        "url": invitation_url(token),
        "inviter": inviter,
        "SITE_NAME": settings.SITE_NAME,
    }
    outbox_enqueue_email(
        to=[email],
        subject=_("Invitation à rejoindre %(where)s sur %(site)s")
        % {"where": context["collectivite"], "site": settings.SITE_NAME},
        body=render_to_string("membres/email/invitation.txt", context),
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """Return the pending, unexpired invitation for this token, if any."""
    return (
        invitations_pending()
        .select_related("membre__collectivite", "service")
        .filter(token_hash=_hash_token(token))
        .first()
    )


def _invitation_grant(invitation: Invitation, user: User, request: HttpRequest | None) -> None:
    role_grant(
        acting_user=None,
        user=user,
        kind=invitation.kind,
        membre=invitation.membre,
        service=invitation.service,
        granted_by=invitation.invited_by,
        request=request,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        acting_user=user,
        membre=invitation.membre,
        action="invitation.accept",
        target=invitation,
        details={"role": invitation.kind},
    )


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Accept an invitation, creating the account if needed, and grant its role once."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(_("Cette invitation n'existe pas, a expiré ou a déjà été utilisée."))
    # Lock the row so two concurrent acceptances cannot both grant the role.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    # Checked again under the lock: a revocation may have committed since it was read.
    if invitation.accepted_at is not None:
        raise ValidationError(_("Cette invitation a déjà été utilisée."))
    if invitation.revoked_at is not None or invitation.expires_at <= timezone.now():
        raise ValidationError(_("Cette invitation n'existe pas, a expiré ou a déjà été utilisée."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter.")
            )
        candidate = User(email=invitation.email, first_name=first_name, last_name=last_name)
        validate_password(password, user=candidate)
        user = user_create(
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            # The invitation link reached this address: it is verified.
            email_verified=True,
        )
    elif user.email.lower() != invitation.email:
        raise ValidationError(_("Cette invitation a été envoyée à une autre adresse."))
    else:
        # The invitation link reached this address: it is proven, and whatever was added to
        # the account before (identities, second factor, other sessions) ends.
        account_address_proven(user=user, via="invitation", request=request)
    _invitation_grant(invitation, user, request)
    return user


def invitations_accept_for_agent(*, user: User, email: str) -> int:
    """Accept every pending invitation to this (provider-verified) address; return how many."""
    invitations = list(invitations_pending().select_for_update().filter(email__iexact=email))
    for invitation in invitations:
        _invitation_grant(invitation, user, None)
    return len(invitations)


@transaction.atomic
def invitation_revoke(*, acting_user, invitation: Invitation) -> None:
    """Revoke a pending invitation."""
    if invitation.membre is None:
        permission_check(acting_user, "membres.ajouter")
    else:
        permission_check(acting_user, "agents.gerer", invitation.membre)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        # Too late to revoke: the person holds the role now, and ending it is another action.
        raise ValidationError(
            _("Cette invitation a déjà été acceptée : retirez le rôle de la personne.")
        )
    if invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        acting_user=acting_user,
        membre=invitation.membre,
        action="invitation.revoke",
        target=invitation,
        details={"role": invitation.kind},
    )


def _role_details(role: Role) -> dict:
    return {
        "role": role.kind,
        "membre": role.membre.slug if role.membre is not None else None,
        "service": role.service.nom if role.service is not None else None,
    }


@transaction.atomic
def role_grant(
    *,
    acting_user,
    user: User,
    kind: str,
    membre: Membre | None = None,
    service: Service | None = None,
    granted_by: User | None = None,
    request: HttpRequest | None = None,
) -> Role:
    """Give a user a role, unless an identical one is already active (journaled, audited).

    `acting_user` is checked; an accepted invitation grants with acting_user None, the
    invitation having been checked when it was made (`granted_by` is its author).
    """
    if membre is None:
        permission_check(acting_user, "membres.ajouter")
    else:
        permission_check(acting_user, "agents.gerer", membre)
    if granted_by is None and getattr(acting_user, "is_authenticated", False):
        granted_by = acting_user
    existing = Role.objects.filter(
        user=user, kind=kind, membre=membre, service=service, ended_at__isnull=True
    ).first()
    if existing:
        return existing
    role = Role.objects.create(
        user=user, kind=kind, membre=membre, service=service, granted_by=granted_by
    )
    grants_forget(user)
    security_event_record(
        kind=SecurityEvent.Kind.ROLE_GRANTED,
        user=user,
        actor=granted_by,
        request=request,
        details=_role_details(role),
    )
    audit_record(
        acting_user=acting_user or granted_by,
        membre=membre,
        action="role.grant",
        target=role,
        details=_role_details(role),
    )
    return role


@transaction.atomic
def role_end(*, acting_user, role: Role, request: HttpRequest | None = None) -> None:
    """End a role (the agent left, or it was revoked); the row stays for history."""
    if role.membre is None:
        permission_check(acting_user, "membres.ajouter")
    else:
        permission_check(acting_user, "agents.gerer", role.membre)
    if role.ended_at is not None:
        return
    role.ended_at = timezone.now()
    role.save(update_fields=["ended_at"])
    grants_forget(role.user)
    actor = acting_person(acting_user)
    security_event_record(
        kind=SecurityEvent.Kind.ROLE_ENDED,
        user=role.user,
        actor=actor,
        request=request,
        details=_role_details(role),
    )
    audit_record(
        acting_user=acting_user,
        membre=role.membre,
        action="role.end",
        target=role,
        details=_role_details(role),
    )
