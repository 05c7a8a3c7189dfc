"""Shared building blocks: the outbox of messages to deliver after commit, the counted actions
of the rate limits."""

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A message written in the same transaction as the change it reports, delivered later."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Courriel"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    # The worker sending it owns it until then (a conditional UPDATE takes it; see outbox.py).
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class RateLimitHit(models.Model):
    """One action counted by a rate limit (an anonymous report, a verification lookup…), by a
    keyed digest of who made it (IP, email, never in clear), in a sliding window that every
    worker process shares (socle.core.ratelimit)."""

    cle = models.CharField(max_length=64)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["cle", "cree_le"], name="ratelimit_cle"),
            models.Index(fields=["cree_le"], name="ratelimit_age"),
        ]

    def __str__(self) -> str:
        return self.cree_le.isoformat()
