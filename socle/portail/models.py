"""The structure's own pages, linked from every page's footer, edited by the opérateurs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PagePlateforme(models.Model):
    """One page of the footer: mentions légales, accessibilité, données personnelles, contact."""

    class Code(models.TextChoices):
        MENTIONS_LEGALES = "mentions-legales", _("Mentions légales")
        ACCESSIBILITE = "accessibilite", _("Accessibilité")
        DONNEES_PERSONNELLES = "donnees-personnelles", _("Données personnelles")
        CONTACT = "contact", _("Contact")

    class Conformite(models.TextChoices):
        """The RGAA conformity level a déclaration d'accessibilité states."""

        NON = "non", _("non conforme")
        PARTIELLE = "partielle", _("partiellement conforme")
        TOTALE = "totale", _("totalement conforme")

    code = models.SlugField(max_length=40, unique=True, choices=Code.choices)
    titre = models.CharField(max_length=200)
    # Markdown, rendered to HTML and sanitised when shown (socle.core.markdown).
    contenu = models.TextField(blank=True)
    # Only the accessibility page states one.
    conformite = models.CharField(max_length=10, choices=Conformite.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.titre
