"""Writes that follow an OpenID Connect login: which account, which identity, which journal.

The rules (docs/franceconnect.md):
- An identity is keyed by (provider, sub). Once linked to an account, it logs into that
  account and nothing else.
- FranceConnect: a first login creates a new citizen account. The email that FranceConnect
  passes on is never used to find an existing account: if a local account already uses it,
  the new account gets a placeholder address and the citizen is invited to link the two by
  proving ownership of the local account (its password).
- ProConnect: a first login is matched to an account only through the verified email of an
  agent who already holds an active role, or who has a pending invitation (accepted then).
  Anybody else is refused.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from socle.comptes import roles
from socle.comptes.models import PLACEHOLDER_EMAIL_DOMAIN, Identity, SecurityEvent, User
from socle.comptes.oidc.client import OIDCError, VerifiedIdentity
from socle.comptes.security import (
    client_ip,
    second_factor_device,
    second_factor_required,
    security_event_record,
)
from socle.comptes.services import account_address_proven

PLACEHOLDER_DOMAIN = PLACEHOLDER_EMAIL_DOMAIN
REJECTIONS_PER_IP_PER_MINUTE = 30
logger = logging.getLogger("socle.security")


@dataclass(frozen=True)
class LoginOutcome:
    user: User
    identity: Identity
    new_account: bool
    # The provider's email already belonged to another account: the new one has a placeholder.
    email_taken: bool = False


def _clip(value, length: int) -> str:
    return str(value or "").strip()[:length]


def _birthdate(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _family_name(claims: dict) -> str:
    # ProConnect calls the family name `usual_name`.
    return claims.get("family_name") or claims.get("usual_name") or ""


def _identity_fields(verified: VerifiedIdentity) -> dict:
    claims = verified.claims
    return {
        "given_name": _clip(claims.get("given_name"), 255),
        "family_name": _clip(_family_name(claims), 255),
        "preferred_username": _clip(claims.get("preferred_username"), 255),
        "birthdate": _birthdate(claims.get("birthdate")),
        "birthplace": _clip(claims.get("birthplace"), 10),
        "birthcountry": _clip(claims.get("birthcountry"), 10),
        "gender": _clip(claims.get("gender"), 10),
        "email": _clip(claims.get("email"), 254).lower(),
        "siret": _clip(claims.get("siret"), 14),
        "acr": _clip(verified.acr, 100),
        "verified_at": timezone.now(),
    }


def placeholder_email(provider: str, sub: str) -> str:
    """An address that cannot receive mail, unique to this identity."""
    digest = hashlib.sha256(f"{provider}:{sub}".encode()).hexdigest()[:24]
    return f"fc-{digest}@{PLACEHOLDER_DOMAIN}"


def is_placeholder_email(email: str) -> bool:
    return email.endswith("@" + PLACEHOLDER_DOMAIN)


def _event(kind: str, *, user=None, request=None, details=None):
    return security_event_record(kind=kind, user=user, request=request, details=details)


@transaction.atomic
def oidc_rejection_record(
    *, provider: str, reason: str, detail: str = "", request=None, user=None
) -> SecurityEvent | None:
    """Journal a refused OpenID Connect response (or an unusable provider).

    Anyone can forge callbacks: past REJECTIONS_PER_IP_PER_MINUTE from one address, the
    rejections only go to the log, so that the journal cannot be flooded.
    """
    ip = client_ip(request)
    if ip and (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.OIDC_REJECTED,
            ip=ip,
            created_at__gt=timezone.now() - timedelta(minutes=1),
        ).count()
        >= REJECTIONS_PER_IP_PER_MINUTE
    ):
        logger.warning("oidc rejection not journaled (flood) ip=%s reason=%s", ip, reason)
        return None
    return _event(
        SecurityEvent.Kind.OIDC_REJECTED,
        user=user,
        request=request,
        details={"provider": provider, "reason": reason, "detail": detail[:300]},
    )


@transaction.atomic
def oidc_logout_record(*, user: User, provider: str, request=None) -> SecurityEvent:
    """Journal a logout, naming the provider it goes through (if any)."""
    return _event(
        SecurityEvent.Kind.LOGOUT,
        user=user,
        request=request,
        details={"provider": provider} if provider else {},
    )


def _update_identity(identity: Identity, verified: VerifiedIdentity) -> Identity:
    for name, value in _identity_fields(verified).items():
        setattr(identity, name, value)
    identity.save()
    return identity


def _check_active(user: User) -> None:
    if not user.is_active:
        raise OIDCError("account_disabled", status=403)


def _check_verified(user: User) -> None:
    """An identity may only be linked to an account whose address its owner proved.

    Otherwise someone could open an account with a future agent's address, link his own
    identity to it, and log in once the real person has taken it over (pre-hijack).
    """
    if user.email_verified_at is None:
        raise OIDCError("account_unverified", status=403)


def _create_citizen(verified: VerifiedIdentity) -> tuple[User, bool]:
    """Create the account of a citizen's first FranceConnect login; never reuse one."""
    fields = _identity_fields(verified)
    email = fields["email"]
    email_taken = not email or User.objects.filter(email__iexact=email).exists()
    if email_taken:
        email = placeholder_email(verified.provider, verified.sub)
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=fields["given_name"][:150],
        last_name=fields["family_name"][:150],
        # FranceConnect passes on an address its provider verified: no link to open.
        email_verified_at=None if email_taken else timezone.now(),
    )
    return user, email_taken and bool(fields["email"])


def _match_agent(verified: VerifiedIdentity, request=None) -> User:
    """Find the account of a ProConnect agent's first login, or refuse.

    ProConnect's email is verified by the agent's organisation, so it may name an account
    that already works for a member (an active role), or open one for a pending invitation.
    """
    email = _clip(verified.claims.get("email"), 254).lower()
    if not email:
        raise OIDCError("proconnect_no_email", status=403)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        _check_active(user)
    if not roles.agent_access_pending(user=user, email=email):
        raise OIDCError("proconnect_no_access", status=403, detail=email)
    if user is None:
        fields = _identity_fields(verified)
        user = User.objects.create_user(
            email=email,
            password=None,
            first_name=fields["given_name"][:150],
            last_name=fields["family_name"][:150],
            # The agent's organisation verified this address.
            email_verified_at=timezone.now(),
        )
    if user.email_verified_at is None:
        # Nobody had proved this address until ProConnect did: whoever opened the account may
        # not be this agent. Its password, identities, second factor and sessions go.
        account_address_proven(user=user, via="proconnect", request=request)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    roles.agent_access_accept(user=user, email=email)
    return user


@transaction.atomic
def identity_login(*, verified: VerifiedIdentity, request=None) -> LoginOutcome:
    """Find or create the account this verified identity logs into.

    The login itself (and its journal entry, with the provider as `method`) is
    `security.login_or_second_factor`'s: a role that needs a second factor still asks for it.
    """
    try:
        with transaction.atomic():
            return _identity_login(verified=verified, request=request)
    except IntegrityError:
        # Two first logins of the same identity at once: the other one created it; use it.
        return _identity_login(verified=verified, request=request)


def _identity_login(*, verified: VerifiedIdentity, request) -> LoginOutcome:
    identity = (
        Identity.objects.select_related("user")
        .filter(provider=verified.provider, sub=verified.sub)
        .first()
    )
    new_account = email_taken = False
    if identity is not None:
        user = identity.user
        _check_active(user)
        _update_identity(identity, verified)
    else:
        if verified.provider == Identity.Provider.PROCONNECT:
            user = _match_agent(verified, request)
        else:
            user, email_taken = _create_citizen(verified)
            new_account = True
        identity = Identity.objects.create(
            user=user, provider=verified.provider, sub=verified.sub, **_identity_fields(verified)
        )
        if not new_account:
            _event(
                SecurityEvent.Kind.IDENTITY_LINKED,
                user=user,
                request=request,
                details={"provider": verified.provider, "via": "verified_email"},
            )
    return LoginOutcome(
        user=user, identity=identity, new_account=new_account, email_taken=email_taken
    )


def _is_provider_only(user: User) -> bool:
    """An account created by a provider login, never given a password nor a role."""
    return not user.has_usable_password() and not roles.user_holds_role(user)


@transaction.atomic
def identity_link(*, user: User, verified: VerifiedIdentity, request=None) -> Identity:
    """Link a verified identity to the account of a person already logged in on it.

    If the identity already logs into an account of its own that only the provider opens
    (created by its first login), that account is folded into this one and deactivated.
    """
    _check_active(user)
    _check_verified(user)
    existing = (
        Identity.objects.select_for_update()
        .select_related("user")
        .filter(provider=verified.provider, sub=verified.sub)
        .first()
    )
    if existing is not None and existing.user_id == user.pk:
        return _update_identity(existing, verified)
    if Identity.objects.filter(user=user, provider=verified.provider).exists():
        raise OIDCError("account_has_other_identity", status=403)
    details: dict[str, str | int] = {"provider": verified.provider, "via": "logged_in"}
    if existing is not None:
        if not _is_provider_only(existing.user):
            raise OIDCError("identity_linked_elsewhere", status=403)
        details["merged_account"] = existing.user_id
        _deactivate(existing.user)
        existing.user = user
        identity = _update_identity(existing, verified)
    else:
        identity = Identity.objects.create(
            user=user, provider=verified.provider, sub=verified.sub, **_identity_fields(verified)
        )
    _fill_names(user, identity)
    _event(
        SecurityEvent.Kind.IDENTITY_LINKED,
        user=user,
        request=request,
        details=details,
    )
    return identity


def account_link_requires_second_factor(user: User) -> bool:
    """Tell whether the local account has, or its roles demand, a second factor."""
    return second_factor_device(user) is not None or second_factor_required(user)


@transaction.atomic
def identity_account_merge(*, source: User, target: User, request=None) -> User:
    """Fold an account opened by a provider into the local account its owner proved is his.

    Called once the person logged in through the provider has typed the local account's
    password. The identities move to the local account; the provider-only account is
    deactivated. A local account protected by a second factor is not linked this way.
    """
    source = User.objects.select_for_update().get(pk=source.pk)
    _check_active(target)
    if source.pk == target.pk:
        return target
    if not _is_provider_only(source):
        raise OIDCError("merge_source_not_provider_only", status=403)
    _check_verified(target)
    if account_link_requires_second_factor(target):
        raise OIDCError("merge_target_has_second_factor", status=403)
    identities = list(Identity.objects.select_for_update().filter(user=source))
    target_providers = set(Identity.objects.filter(user=target).values_list("provider", flat=True))
    if any(identity.provider in target_providers for identity in identities):
        raise OIDCError("account_has_other_identity", status=403)
    for identity in identities:
        identity.user = target
        identity.save(update_fields=["user"])
        _fill_names(target, identity)
        _event(
            SecurityEvent.Kind.IDENTITY_LINKED,
            user=target,
            request=request,
            details={
                "provider": identity.provider,
                "via": "local_password",
                "merged_account": source.pk,
            },
        )
    _deactivate(source)
    return target


def _deactivate(user: User) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def _fill_names(user: User, identity: Identity) -> None:
    """Give an account without names the verified ones."""
    changed = []
    if not user.first_name and identity.given_name:
        user.first_name = identity.given_name[:150]
        changed.append("first_name")
    if not user.last_name and identity.family_name:
        user.last_name = identity.family_name[:150]
        changed.append("last_name")
    if changed:
        user.save(update_fields=changed)
