"""Open data: each member's data in national formats, validated, catalogued and published."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module, PermissionSpec


class OpendataConfig(AppConfig):
    name = "socle.opendata"
    label = "opendata"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Données ouvertes")

    socle_module = Module(
        code="opendata",
        label=_("Données ouvertes"),
        description=_(
            "Les données de la collectivité publiées dans les formats nationaux, validées, "
            "avec leur API, leur catalogue DCAT et leur publication sur data.gouv.fr."
        ),
        mount="donnees",
        public_urls="socle.opendata.public_urls",
        gestion_urls="socle.opendata.gestion_urls",
        site_urls="socle.opendata.site_urls",
        api_urls="socle.opendata.api_urls",
        openapi="socle.opendata.openapi.openapi_part",
        # « structure » names the structure itself in the API and DCAT addresses.
        reserved_slugs=("donnees", "structure"),
        menu=(MenuEntry(_("Données ouvertes"), "gestion:opendata:jeux", "opendata.voir"),),
        permissions={
            "opendata.voir": PermissionSpec(
                _("Voir les jeux de données et leurs publications"),
                ("administrateur", "agent", "elu"),
            ),
            "opendata.publier": PermissionSpec(
                _("Déposer et publier des jeux de données"), ("administrateur",)
            ),
            "opendata.structure": PermissionSpec(
                _("Publier les jeux de données de la structure elle-même"), ()
            ),
            "opendata.datagouv": PermissionSpec(
                _("Régler la publication sur data.gouv.fr (clé d’API)"), ("administrateur",)
            ),
        },
        audit_actions={
            "jeu.creation": _("Jeu de données créé"),
            "jeu.version": _("Version d’un jeu de données publiée"),
            "jeu.modification": _("Jeu de données modifié"),
            "datagouv.reglage": _("Publication sur data.gouv.fr réglée"),
            "datagouv.relance": _("Publication sur data.gouv.fr relancée"),
        },
    )
