"""The citizen's secure file (dossier citoyen): household, addresses, reference documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import Module


class CitoyenConfig(AppConfig):
    name = "socle.citoyen"
    label = "citoyen"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Dossier citoyen")

    socle_module = Module(
        code="citoyen",
        label=_("Dossier citoyen"),
        description=_(
            "Chaque habitant garde ses informations et ses justificatifs une fois pour toutes ; "
            "ses démarches les reprennent."
        ),
        # « Mon espace » pages: /comptes/espace/profil/, …/foyer/, …/adresses/, …/documents/
        site_urls="socle.citoyen.site_urls",
        switchable=False,
        audit_actions={},
    )
