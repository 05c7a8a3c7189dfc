"""The platform's members, their services, who works for them (roles, invitations) and the
audit trail of changes to their set-up.

The tables keep the names they had when these models lived in `territoires` and `comptes`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Membre(models.Model):
    """A collectivité that is a member of the mutualisation structure."""

    collectivite = models.OneToOneField(
        "territoires.Collectivite", on_delete=models.PROTECT, related_name="membre"
    )
    slug = models.SlugField(max_length=60, unique=True)
    hostname = models.CharField(max_length=253, blank=True, null=True, unique=True)
    couleur = models.CharField(max_length=7, default="#1f4e8c")
    logo = models.ImageField(upload_to="logos/", blank=True)
    # Codes of the modules this member enabled (see socle.core.modules).
    modules = models.JSONField(default=list, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "territoires_membre"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.collectivite.nom


class Service(models.Model):
    """An organisational unit of a member that handles some competences, maybe in a sector."""

    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="services")
    nom = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=50, blank=True)
    competences = models.ManyToManyField(
        "territoires.Competence", related_name="services", blank=True
    )
    # Optional sub-area (WKB polygon, WGS84), as DansMaRue routes by sector.
    secteur_nom = models.CharField(max_length=200, blank=True)
    secteur_wkb = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "territoires_service"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(fields=["membre", "nom"], name="service_name_unique")
        ]

    def __str__(self) -> str:
        return self.nom


class Role(models.Model):
    """A user's role, for the whole structure (opérateur) or one member (and maybe a service)."""

    class Kind(models.TextChoices):
        OPERATEUR = "operateur", _("Opérateur")
        ADMINISTRATEUR = "administrateur", _("Administrateur de la collectivité")
        DPO = "dpo", _("Délégué à la protection des données")
        ETHIQUE = "ethique", _("Comité d'éthique")
        AIDANT = "aidant", _("Aidant numérique")
        AGENT = "agent", _("Agent")
        ELU = "elu", _("Élu")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    membre = models.ForeignKey(
        Membre, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    # Ended roles outlive their service: the history of who worked where stays.
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="roles"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "comptes_role"
        indexes = [models.Index(fields=["user", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["operateur", "ethique"], membre__isnull=True)
                | (~models.Q(kind__in=["operateur", "ethique"]) & models.Q(membre__isnull=False)),
                name="role_scope_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"


# Roles held for the whole mutualisation structure rather than for one member.
STRUCTURE_ROLES = frozenset({Role.Kind.OPERATEUR, Role.Kind.ETHIQUE})


class Invitation(models.Model):
    """An emailed invitation to take a role; only a hash of its token is stored."""

    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=Role.Kind.choices)
    membre = models.ForeignKey(
        Membre, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "comptes_invitation"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class AuditEvent(models.Model):
    """One change to the set-up or the data of a member (or of the structure), and who made it.

    Written by the service that makes the change, in the same transaction (`audit_record`).
    """

    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # None for a change to the structure itself (a new member, a host name…).
    membre = models.ForeignKey(
        Membre, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    # What was done, as "<thing>.<action>": "service.create", "role.end"…
    action = models.CharField(max_length=60)
    # On what: a model label and primary key, and a label that outlives the row.
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["membre", "created_at"], name="audit_membre_created")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}"
