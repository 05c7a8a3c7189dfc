"""Users, the identities providers verified, second factors, security events and the journal."""

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

# The domain of the addresses given to accounts whose provider passed no usable email.
PLACEHOLDER_EMAIL_DOMAIN = "franceconnect.invalid"

# How the login of a `login` security event was made, as « Mon espace » says it.
LOGIN_METHODS = {
    "password": _("Connexion avec mot de passe"),
    "franceconnect": _("Connexion avec FranceConnect"),
    "proconnect": _("Connexion avec ProConnect"),
    "invitation": _("Connexion en acceptant une invitation"),
}


class UserManager(BaseUserManager["User"]):
    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: citizen, agent, élu or opérateur; the email is the login."""

    email = models.EmailField(unique=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised to end every session of the account without touching its password.
    session_epoch = models.PositiveIntegerField(default=0)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def has_placeholder_email(self) -> bool:
        """The account's address was invented for it: it receives no mail."""
        return self.email.endswith("@" + PLACEHOLDER_EMAIL_DOMAIN)

    @property
    def email_awaits_verification(self) -> bool:
        """A real address that its owner has not proved yet."""
        return self.email_verified_at is None and not self.has_placeholder_email

    def _get_session_auth_hash(self, secret=None):
        # Sessions carry this hash: a new password or a new epoch ends them all. Epoch 0 keeps
        # Django's own hash, so that sessions opened before the epoch existed stay valid.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "socle.comptes.models.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Identity(models.Model):
    """An identity asserted by an OpenID Connect provider (FranceConnect, ProConnect)."""

    class Provider(models.TextChoices):
        FRANCECONNECT = "franceconnect", "FranceConnect"
        PROCONNECT = "proconnect", "ProConnect"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    # The provider's stable subject identifier for this user.
    sub = models.CharField(max_length=255)
    # Claims as the provider verified them (identité pivot for FranceConnect).
    given_name = models.CharField(max_length=255, blank=True)
    family_name = models.CharField(max_length=255, blank=True)
    preferred_username = models.CharField(max_length=255, blank=True)
    birthdate = models.DateField(null=True, blank=True)
    birthplace = models.CharField(max_length=10, blank=True)
    birthcountry = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=10, blank=True)
    email = models.EmailField(blank=True)
    # ProConnect: the agent's organisation (SIRET) as the provider asserts it.
    siret = models.CharField(max_length=14, blank=True)
    acr = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "sub"], name="identity_provider_sub_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.given_name} {self.family_name}".strip()


class TOTPDevice(models.Model):
    """A time-based one-time-password second factor (RFC 6238)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp")
    # Base32 secret; encrypted at rest with a key derived from SECRET_KEY.
    secret = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step, so that a code cannot be replayed.
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class SecurityEvent(models.Model):
    """A security-relevant event: login, failed login, role change, second-factor reset…"""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Connexion")
        LOGIN_FAILED = "login_failed", _("Échec de connexion")
        LOGIN_THROTTLED = "login_throttled", _("Connexion bloquée (trop d'essais)")
        LOGOUT = "logout", _("Déconnexion")
        PASSWORD_CHANGED = "password_changed", _("Mot de passe changé")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Réinitialisation demandée")
        EMAIL_VERIFIED = "email_verified", _("Adresse vérifiée")
        ADDRESS_PROVEN = "address_proven", _("Adresse prouvée : accès antérieurs retirés")
        TOTP_ENABLED = "totp_enabled", _("Second facteur activé")
        TOTP_FAILED = "totp_failed", _("Code de second facteur refusé")
        TOTP_RESET = "totp_reset", _("Second facteur réinitialisé")
        ROLE_GRANTED = "role_granted", _("Rôle accordé")
        ROLE_ENDED = "role_ended", _("Rôle retiré")
        IDENTITY_LINKED = "identity_linked", _("Identité liée")
        OIDC_REJECTED = "oidc_rejected", _("Réponse d'identité refusée")

    kind = models.CharField(max_length=40, choices=Kind.choices)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events"
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        """What happened, in words; a login says which way it was made."""
        if self.kind == self.Kind.LOGIN:
            method = (self.details or {}).get("method")
            if method in LOGIN_METHODS:
                return str(LOGIN_METHODS[method])
        return str(self.get_kind_display())
