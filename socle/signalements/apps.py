"""Citizen reports (signalements), routed to the competent authority, with Open311 GeoReport v2."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module, PermissionSpec

STAFF = ("administrateur", "agent", "elu")
HANDLERS = ("administrateur", "agent")


class SignalementsConfig(AppConfig):
    name = "socle.signalements"
    label = "signalements"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Signalements")

    socle_module = Module(
        code="signalements",
        label=_("Signalements"),
        description=_(
            "Les habitants signalent un problème dans l’espace public ; il arrive au service "
            "qui a la compétence à cet endroit."
        ),
        public_urls="socle.signalements.public_urls",
        gestion_urls="socle.signalements.gestion_urls",
        site_urls="socle.signalements.site_urls",
        reserved_slugs=("open311", "signaler"),
        api_scopes={"signalements.open311": _("Déposer des signalements (Open311)")},
        menu=(
            MenuEntry(_("Signalements"), "gestion:signalements:file", "signalements.voir"),
            MenuEntry(
                _("Tableau de bord des signalements"),
                "gestion:signalements:tableau",
                "signalements.voir",
            ),
            MenuEntry(
                _("Réglages des signalements"),
                "gestion:signalements:reglages",
                "signalements.regler",
            ),
        ),
        permissions={
            "signalements.voir": PermissionSpec(
                _("Voir les signalements et leur tableau de bord"), STAFF
            ),
            "signalements.traiter": PermissionSpec(
                _("Traiter les signalements (répondre, changer le statut, réorienter, modérer)"),
                HANDLERS,
            ),
            "signalements.regler": PermissionSpec(
                _("Régler les catégories, questions, modèles de réponse et la modération"),
                ("administrateur",),
            ),
            "signalements.hors_membres": PermissionSpec(
                _("Voir les signalements adressés à des collectivités non membres"), ()
            ),
        },
        audit_actions={
            "signalement.statut": _("Statut d’un signalement changé"),
            "signalement.reponse": _("Réponse publique à un signalement"),
            "signalement.attribution": _("Signalement attribué"),
            "signalement.reorientation": _("Signalement réorienté"),
            "signalement.doublon": _("Signalement marqué comme doublon"),
            "signalement.publication": _("Signalement publié après relecture"),
            "signalement.masquage": _("Signalement masqué"),
            "signalement.demasquage": _("Signalement rendu visible"),
            "signalement.photo_masquee": _("Photo d’un signalement masquée"),
            "signalement.expurgation": _("Description d’un signalement expurgée"),
            "signalement.reglages": _("Réglages des signalements changés"),
        },
    )
