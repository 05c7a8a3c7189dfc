"""The observatory: what members did and plan, how it went, who to call (capitalisation)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module, PermissionSpec

MEMBER_STAFF = ("administrateur", "agent", "elu")


class ObservatoireConfig(AppConfig):
    name = "socle.observatoire"
    label = "observatoire"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Observatoire")

    socle_module = Module(
        code="observatoire",
        label=_("Observatoire des projets"),
        description=_(
            "Les projets numériques des collectivités, leur évaluation, les feuilles de route "
            "et le diagnostic de maturité : ce que d’autres ont fait, et qui contacter."
        ),
        # Every member takes part in the structure's capitalisation: no per-member switch.
        switchable=False,
        gestion_urls="socle.observatoire.gestion_urls",
        site_urls="socle.observatoire.site_urls",
        api_urls="socle.observatoire.api_urls",
        openapi="socle.observatoire.openapi.openapi_part",
        reserved_slugs=("observatoire",),
        menu=(
            MenuEntry(
                _("Observatoire : nos projets"),
                "gestion:observatoire:projets",
                "observatoire.contribuer",
            ),
            MenuEntry(
                _("Feuille de route numérique"),
                "gestion:observatoire:feuille",
                "observatoire.feuille_modifier",
            ),
            MenuEntry(
                _("Diagnostic de maturité"),
                "gestion:observatoire:diagnostics",
                "observatoire.diagnostiquer",
            ),
        ),
        permissions={
            "observatoire.contribuer": PermissionSpec(
                _("Proposer et tenir à jour les projets de la collectivité dans l’observatoire"),
                MEMBER_STAFF,
            ),
            "observatoire.diagnostiquer": PermissionSpec(
                _("Faire le diagnostic de maturité numérique de la collectivité"), MEMBER_STAFF
            ),
            "observatoire.feuille_modifier": PermissionSpec(
                _("Rédiger la feuille de route numérique de la collectivité"), MEMBER_STAFF
            ),
            "observatoire.feuille_adopter": PermissionSpec(
                _("Enregistrer l’adoption d’une version de la feuille de route"),
                ("administrateur", "elu"),
            ),
            "observatoire.coherence": PermissionSpec(
                _("Voir les feuilles de route des membres côte à côte (vue de cohérence)"),
                MEMBER_STAFF,
            ),
            "observatoire.relire": PermissionSpec(
                _("Relire et publier les projets proposés, gérer acteurs et logiciels"), ()
            ),
            "observatoire.configurer": PermissionSpec(
                _("Régler les grilles d’évaluation et le questionnaire de maturité"), ()
            ),
        },
        audit_actions={
            "projet.creation": _("Projet de l’observatoire créé"),
            "projet.modification": _("Projet de l’observatoire modifié"),
            "projet.soumission": _("Projet soumis à relecture"),
            "projet.publication": _("Projet publié dans l’observatoire"),
            "projet.a_corriger": _("Projet renvoyé pour correction"),
            "projet.retrait": _("Projet retiré de l’observatoire"),
            "projet.revision": _("Modification d’un projet publié relue"),
            "projet.mise_en_relation": _("Mise en relation demandée à la structure"),
            "evaluation.enregistrement": _("Évaluation d’un projet enregistrée"),
            "feuille.modification": _("Feuille de route modifiée"),
            "feuille.adoption": _("Version de la feuille de route adoptée"),
            "diagnostic.creation": _("Diagnostic de maturité enregistré"),
            "observatoire.configuration": _("Réglages de l’observatoire modifiés"),
        },
    )
