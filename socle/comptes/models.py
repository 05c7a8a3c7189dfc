"""Users, their roles in collectivités and services, and invitations."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
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
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Role(models.Model):
    """A user's role, for the whole structure (opérateur) or one member (and maybe a service)."""

    class Kind(models.TextChoices):
        OPERATEUR = "operateur", _("Opérateur")
        ADMINISTRATEUR = "administrateur", _("Administrateur de la collectivité")
        AGENT = "agent", _("Agent")
        ELU = "elu", _("Élu")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    membre = models.ForeignKey(
        "territoires.Membre", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    service = models.ForeignKey(
        "territoires.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="operateur", membre__isnull=True)
                | (~models.Q(kind="operateur") & models.Q(membre__isnull=False)),
                name="role_scope_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"


class Invitation(models.Model):
    """An emailed invitation to take a role; only a hash of its token is stored."""

    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=Role.Kind.choices)
    membre = models.ForeignKey(
        "territoires.Membre",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    service = models.ForeignKey(
        "territoires.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
