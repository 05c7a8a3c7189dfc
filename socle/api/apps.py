from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module


class ApiConfig(AppConfig):
    name = "socle.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    socle_module = Module(
        code="api",
        label=_("Clés d'API"),
        description=_("Les clés qui ouvrent l'API aux applications d'un membre."),
        switchable=False,
        gestion_urls="socle.api.gestion_urls",
        mount="cles-api",
        menu=(MenuEntry(_("Clés d'API"), "gestion:api:cles", "cles_api.gerer"),),
    )
