"""Changes of competence rules that move work onto or away from another member, until agreed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompetenceChangeRequest(models.Model):
    """A member's proposed rule (transfer or exception) that other members must agree to.

    `impact` is what the change would do, computed when it was asked for (see
    `socle.routage.selectors.competence_change_impact`); it is computed again before the change
    is applied, and a request whose situation changed in between is not applied (« périmée »).
    """

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Transfert")
        OVERRIDE = "override", _("Exception")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPLIED = "applied", _("Appliquée")
        REFUSED = "refused", _("Refusée")
        STALE = "stale", _("Périmée")

    membre = models.ForeignKey(
        "membres.Membre", on_delete=models.CASCADE, related_name="competence_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    competence = models.ForeignKey(
        "territoires.Competence", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The proposed value: a transfer (None returns to the law) or an exception's holder (None
    # returns to the general rule).
    transferred = models.BooleanField(null=True, blank=True)
    holder = models.ForeignKey(
        "territoires.Collectivite",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    impact = models.JSONField(default=dict)
    affected_members = models.ManyToManyField(
        "membres.Membre", related_name="competence_requests_to_decide"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.competence} ({self.membre})"


class CompetenceChangeAgreement(models.Model):
    """One affected member's agreement to a change request."""

    request = models.ForeignKey(
        CompetenceChangeRequest, on_delete=models.CASCADE, related_name="agreements"
    )
    membre = models.ForeignKey("membres.Membre", on_delete=models.CASCADE, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "membre"], name="agreement_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.membre} : {self.request}"
