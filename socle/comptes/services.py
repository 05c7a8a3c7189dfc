"""Writes on accounts: local users, email verification, passwords and the second factor.

Security-relevant writes are journaled through security_event_record.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from socle.comptes import roles, totp
from socle.comptes.models import Identity, SecurityEvent, TOTPDevice, User
from socle.comptes.security import (
    Throttled,
    email_verification_token,
    normalise_email,
    second_factor_required,
    security_event_record,
    throttle_serialise,
    totp_throttle_check,
)
from socle.core.outbox import outbox_enqueue_email


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email_verified: bool = False,
) -> User:
    """Create a local account (email_verified: the address is already known to be theirs)."""
    return User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email_verified_at=timezone.now() if email_verified else None,
    )


# --- Citizens' local accounts ------------------------------------------------------------------


def _absolute(url_name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(url_name, kwargs=kwargs)


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    outbox_enqueue_email(
        to=[to], subject=subject, body=render_to_string(f"comptes/email/{template}", context)
    )


def email_verification_url(user: User) -> str:
    """Return a fresh link that verifies the user's address (expires, works once)."""
    return _absolute(
        "comptes:verification",
        uidb64=_uid(user),
        token=email_verification_token.make_token(user),
    )


@transaction.atomic
def email_verification_send(*, user: User) -> None:
    """Email the user a link that verifies the address."""
    hours = max(1, settings.EMAIL_VERIFICATION_TIMEOUT // 3600)
    _send(
        to=user.email,
        subject=_("Confirmez votre adresse électronique sur %(site)s")
        % {"site": settings.SITE_NAME},
        template="verification.txt",
        context={"user": user, "url": email_verification_url(user), "hours": hours},
    )


@transaction.atomic
def account_register(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    request: HttpRequest | None = None,
) -> User | None:
    """Create a citizen's local account and email the verification link.

    When the address already has an account, nothing is created and its owner is told by
    email that someone tried; the caller answers the same way in both cases, so that sign-up
    never reveals whether an address is registered. Returns the new user, or None.
    """
    email = normalise_email(email)
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user=candidate)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = user_create(
                    email=email, password=password, first_name=first_name, last_name=last_name
                )
        except IntegrityError:
            # Someone registered the same address a moment ago.
            existing = User.objects.filter(email__iexact=email).first()
        else:
            email_verification_send(user=user)
            return user
    # Spend the time that hashing a new password would take.
    make_password(password)
    if existing is not None and existing.is_active:
        _send(
            to=existing.email,
            subject=_("Tentative d’inscription avec votre adresse sur %(site)s")
            % {"site": settings.SITE_NAME},
            template="inscription_existante.txt",
            context={
                "user": existing,
                "login_url": _absolute("comptes:connexion"),
                "reset_url": _absolute("comptes:mot_de_passe_oubli"),
            },
        )
    return None


@transaction.atomic
def account_address_proven(*, user: User, via: str, request: HttpRequest | None = None) -> bool:
    """Record that the owner of the address has just proved it; end what came before.

    Until then, whoever opened the account may not be the address's owner: an identity linked,
    a second factor enrolled or a session opened before this proof may be a squatter's. They
    all end (the identities and the device are deleted, the sessions end through the session
    epoch), except the session of this request when it belongs to the user. Returns whether
    the address was not proven before (if it was, nothing changes).
    Called by every proof: the verification link, a password reset, an invitation accepted
    by mail or through ProConnect.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_verified_at is not None:
        user.email_verified_at = locked.email_verified_at
        return False
    providers = sorted(Identity.objects.filter(user=locked).values_list("provider", flat=True))
    Identity.objects.filter(user=locked).delete()
    had_device, _rows = TOTPDevice.objects.filter(user=locked).delete()
    locked.email_verified_at = timezone.now()
    locked.session_epoch += 1
    locked.save(update_fields=["email_verified_at", "session_epoch"])
    for name in ("email_verified_at", "session_epoch", "password"):
        setattr(user, name, getattr(locked, name))
    security_event_record(
        kind=SecurityEvent.Kind.ADDRESS_PROVEN,
        user=locked,
        request=request,
        details={
            "via": via,
            "identities_removed": providers,
            "second_factor_removed": bool(had_device),
        },
    )
    current = getattr(request, "user", None)
    if request is not None and current is not None and current.pk == locked.pk:
        # This session is the one that brought the proof: it goes on.
        update_session_auth_hash(request, locked)
    return True


@transaction.atomic
def email_verify(*, user: User, token: str, request: HttpRequest | None = None) -> bool:
    """Mark the user's address as verified if the token is valid; it then stops working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not email_verification_token.check_token(user, token):
        return False
    account_address_proven(user=user, via="verification", request=request)
    security_event_record(
        kind=SecurityEvent.Kind.EMAIL_VERIFIED, user=user, request=request, details={}
    )
    return True


# --- Passwords ---------------------------------------------------------------------------------


def password_reset_url(user: User) -> str:
    """Return a link that lets the user choose a new password (expires, works once)."""
    return _absolute(
        "comptes:mot_de_passe_nouveau",
        uidb64=_uid(user),
        token=default_token_generator.make_token(user),
    )


@transaction.atomic
def password_reset_request(*, email: str, request: HttpRequest | None = None) -> None:
    """Email a reset link if an active account with a password has this address.

    Nothing tells the caller whether one does. At most settings.PASSWORD_RESET_EMAILS_PER_HOUR
    links are sent to one account in an hour, so that nobody can flood a mailbox.
    """
    email = normalise_email(email)
    if not email:
        return
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    recent = SecurityEvent.objects.filter(
        user=user,
        kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
        created_at__gt=timezone.now() - timedelta(hours=1),
    ).count()
    sent = recent < settings.PASSWORD_RESET_EMAILS_PER_HOUR
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
        user=user,
        request=request,
        details={"sent": sent},
    )
    if not sent:
        return
    minutes = max(1, settings.PASSWORD_RESET_TIMEOUT // 60)
    _send(
        to=user.email,
        subject=_("Choisir un nouveau mot de passe sur %(site)s") % {"site": settings.SITE_NAME},
        template="mot_de_passe_oubli.txt",
        context={"user": user, "url": password_reset_url(user), "minutes": minutes},
    )


@transaction.atomic
def password_set(
    *, user: User, password: str, via: str, request: HttpRequest | None = None
) -> User:
    """Set a new password (via "reset" link or "change" form), journal it and tell the user.

    The password must already have passed the validators (the forms check it).
    """
    if via == "reset":
        # The reset link reached this address: it is proven, and what came before it ends.
        account_address_proven(user=user, via="password_reset", request=request)
    user.set_password(password)
    user.save(update_fields=["password"])
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_CHANGED, user=user, request=request, details={"via": via}
    )
    _send(
        to=user.email,
        subject=_("Votre mot de passe a été changé sur %(site)s") % {"site": settings.SITE_NAME},
        template="mot_de_passe_change.txt",
        context={"user": user, "reset_url": _absolute("comptes:mot_de_passe_oubli")},
    )
    return user


# --- Second factor (TOTP) ----------------------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: User, renew: bool = False) -> str:
    """Start (or resume) enrolling a TOTP device; return its secret, for the authenticator.

    With renew, an unconfirmed device gets a new secret: a secret shown in another session
    (maybe someone else's) is never the one confirmed here.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ValidationError(_("Un second facteur est déjà activé pour ce compte."))
    if device is None:
        secret = totp.new_secret()
        TOTPDevice.objects.create(user=user, secret=totp.secret_encrypt(secret))
        return secret
    if renew:
        secret = totp.new_secret()
        device.secret = totp.secret_encrypt(secret)
        device.save(update_fields=["secret"])
        return secret
    return totp.secret_decrypt(device.secret)


@transaction.atomic
def totp_device_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """Confirm the enrolment with a first code from the authenticator; False if wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        return False
    step = totp.matching_step(totp.secret_decrypt(device.secret), code)
    if step is None:
        security_event_record(
            kind=SecurityEvent.Kind.TOTP_FAILED,
            user=user,
            request=request,
            details={"enrolment": True},
        )
        return False
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    security_event_record(kind=SecurityEvent.Kind.TOTP_ENABLED, user=user, request=request)
    return True


@transaction.atomic
def totp_device_verify(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """Check a code of the user's confirmed device; a code (a time step) works only once."""
    device = (
        TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if device is None:
        return False
    step = totp.matching_step(totp.secret_decrypt(device.secret), code)
    if step is None or step <= device.last_step:
        security_event_record(
            kind=SecurityEvent.Kind.TOTP_FAILED,
            user=user,
            request=request,
            details={"replay": step is not None},
        )
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


@transaction.atomic
def totp_code_check(
    *, user: User, code: str, enrolment: bool = False, request: HttpRequest | None = None
) -> Throttled | bool:
    """Check a second-factor code at login (or the first one, at enrolment), throttled.

    The count, the check and the failure's record run in one transaction serialised per
    account, so that parallel codes cannot all be checked before any failure is counted.
    Returns the refusal when throttled, else whether the code was right.
    """
    throttle_serialise(f"totp:{user.pk}")
    throttled = totp_throttle_check(user=user)
    if throttled is not None:
        return throttled
    if enrolment:
        return totp_device_confirm(user=user, code=code, request=request)
    return totp_device_verify(user=user, code=code, request=request)


@transaction.atomic
def totp_device_reset(*, acting_user: User, user: User, request: HttpRequest | None = None) -> bool:
    """Remove a user's second factor, as an opérateur; they enrol again at their next login.

    Returns whether there was a device. Journaled with the actor; the user is told by email.
    """
    if not roles.user_may_reset_second_factors(acting_user):
        raise PermissionDenied
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    security_event_record(
        kind=SecurityEvent.Kind.TOTP_RESET,
        user=user,
        actor=acting_user,
        request=request,
        details={"had_device": bool(deleted)},
    )
    _send(
        to=user.email,
        subject=_("Votre second facteur a été réinitialisé sur %(site)s")
        % {"site": settings.SITE_NAME},
        template="second_facteur_reinitialise.txt",
        context={"user": user, "actor": acting_user},
    )
    return bool(deleted)


@transaction.atomic
def totp_device_disable(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """Let a user for whom it is optional switch the second factor off, with a valid code."""
    if second_factor_required(user) or not totp_device_verify(
        user=user, code=code, request=request
    ):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    security_event_record(
        kind=SecurityEvent.Kind.TOTP_RESET, user=user, actor=user, request=request
    )
    return True
