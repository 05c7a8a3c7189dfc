"""Writes on accounts: invitations, roles, local users."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from socle.comptes.models import Invitation, Role, User
from socle.core.outbox import outbox_enqueue_email


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    """Return the absolute URL where an invitation is accepted."""
    return settings.SITE_URL + reverse("comptes:invitation", kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *,
    email: str,
    kind: str,
    invited_by: User | None,
    membre=None,
    service=None,
) -> tuple[Invitation, str]:
    """Invite someone to take a role, and email the link; return the invitation and its token."""
    email = email.strip().lower()
    if kind not in Role.Kind.values:
        raise ValidationError(_("Rôle inconnu."))
    if (kind == Role.Kind.OPERATEUR) != (membre is None):
        raise ValidationError(_("Seul le rôle d'opérateur se passe de collectivité."))
    if service is not None and service.membre_id != getattr(membre, "pk", None):
        raise ValidationError(_("Ce service n'appartient pas à cette collectivité."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        kind=kind,
        membre=membre,
        service=service,
        token_hash=_hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    context = {
        "invitation": invitation,
        "role": invitation.get_kind_display(),
        "collectivite": membre.collectivite.nom if membre else settings.SITE_NAME,
        "url": invitation_url(token),
        "inviter": invited_by,
        "SITE_NAME": settings.SITE_NAME,
    }
    outbox_enqueue_email(
        to=[email],
        subject=_("Invitation à rejoindre %(where)s sur %(site)s")
        % {"where": context["collectivite"], "site": settings.SITE_NAME},
        body=render_to_string("comptes/email/invitation.txt", context),
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """Return the pending, unexpired invitation for this token, if any."""
    return (
        Invitation.objects.select_related("membre__collectivite", "service")
        .filter(
            token_hash=_hash_token(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Accept an invitation, creating the account if needed, and grant its role once."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(_("Cette invitation n'existe pas, a expiré ou a déjà été utilisée."))
    # Lock the row so two concurrent acceptances cannot both grant the role.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Cette invitation a déjà été utilisée."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter.")
            )
        candidate = User(email=invitation.email, first_name=first_name, last_name=last_name)
        validate_password(password, user=candidate)
        user = User.objects.create_user(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != invitation.email:
        raise ValidationError(_("Cette invitation a été envoyée à une autre adresse."))
    role_grant(
        user=user,
        kind=invitation.kind,
        membre=invitation.membre,
        service=invitation.service,
        granted_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    """Revoke a pending invitation."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def role_grant(*, user: User, kind: str, membre=None, service=None, granted_by=None) -> Role:
    """Give a user a role, unless an identical one is already active."""
    existing = Role.objects.filter(
        user=user, kind=kind, membre=membre, service=service, ended_at__isnull=True
    ).first()
    if existing:
        return existing
    return Role.objects.create(
        user=user, kind=kind, membre=membre, service=service, granted_by=granted_by
    )


@transaction.atomic
def role_end(*, role: Role) -> None:
    """End a role (the agent left, or it was revoked); the row stays for history."""
    if role.ended_at is None:
        role.ended_at = timezone.now()
        role.save(update_fields=["ended_at"])


@transaction.atomic
def user_create(
    *, email: str, password: str | None, first_name: str = "", last_name: str = ""
) -> User:
    """Create a local account."""
    return User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
