from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key an application presents to the API: only a hash of its secret is kept.

    A key belongs to one member (it reads only that member's data) or, with no member, to the
    whole platform. Its scopes say which endpoints it opens (socle.api.scopes).
    """

    name = models.CharField(_("nom"), max_length=100)
    application = models.CharField(_("application cliente"), max_length=200, blank=True)
    # The first characters of the key, shown to tell keys apart and to find a key by it.
    prefix = models.CharField(_("préfixe"), max_length=16, unique=True)
    # SHA-256 (hex) of the whole key.
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("portées"), default=list)
    membre = models.ForeignKey(
        "membres.Membre",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("membre"),
    )
    rate_per_minute = models.PositiveIntegerField(_("requêtes par minute"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The rate limit's current window: when it started and how many requests it counted.
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
