from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module


class RoutageConfig(AppConfig):
    name = "socle.routage"
    label = "routage"
    verbose_name = "Routage"

    socle_module = Module(
        code="routage",
        label=_("Compétences et routage"),
        description=_("Qui exerce chaque compétence, et quel service traite chaque demande."),
        switchable=False,
        gestion_urls="socle.routage.gestion_urls",
        api_urls="socle.routage.api_urls",
        # « Qui contacter ? »: /<member>/qui-contacter/ here, /qui-contacter/ in socle.urls.
        public_urls="socle.routage.public_urls",
        reserved_slugs=("qui-contacter",),
        openapi="socle.routage.openapi.openapi_part",
        mount="",
        menu=(MenuEntry(_("Compétences"), "gestion:routage:competences", "competences.voir"),),
    )
