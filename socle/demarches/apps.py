"""Online procedures (démarches en ligne): templates, forms, filing, instruction, documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module, PermissionSpec

HANDLERS = ("administrateur", "agent")


class DemarchesConfig(AppConfig):
    name = "socle.demarches"
    label = "demarches"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Démarches en ligne")

    socle_module = Module(
        code="demarches",
        label=_("Démarches en ligne"),
        description=_(
            "Les habitants font leurs démarches en ligne (cantine, accueil de loisirs, eau, état "
            "civil…), avec les informations de leur dossier citoyen ; les agents les instruisent."
        ),
        public_urls="socle.demarches.public_urls",
        gestion_urls="socle.demarches.gestion_urls",
        site_urls="socle.demarches.site_urls",
        api_urls="socle.demarches.api_urls",
        openapi="socle.demarches.api.openapi",
        reserved_slugs=("demarches", "verifier"),
        api_scopes={
            "demarches.lire": _("Lire les démarches et les dossiers déposés"),
            "demarches.decider": _("Changer le statut des dossiers (décisions)"),
        },
        menu=(
            MenuEntry(_("Dossiers à instruire"), "gestion:demarches:file", "demarches.instruire"),
            MenuEntry(_("Démarches en ligne"), "gestion:demarches:liste", "demarches.configurer"),
            MenuEntry(
                _("Webhooks des démarches"), "gestion:demarches:webhooks", "demarches.configurer"
            ),
        ),
        permissions={
            "demarches.instruire": PermissionSpec(
                _("Instruire les dossiers (file, messages, pièces manquantes, décisions, export)"),
                HANDLERS,
            ),
            "demarches.configurer": PermissionSpec(
                _("Créer, adapter et publier les démarches ; adopter un modèle ; webhooks"),
                ("administrateur",),
            ),
            "demarches.modeles": PermissionSpec(
                _("Publier les modèles de démarches de la structure"), ()
            ),
        },
        audit_actions={
            "demarche.creation": _("Démarche créée"),
            "demarche.adoption": _("Modèle de démarche adopté"),
            "demarche.modification": _("Démarche modifiée"),
            "demarche.publication": _("Démarche publiée"),
            "demarche.fermeture": _("Démarche fermée"),
            "demarche.mise_a_jour_modele": _("Mise à jour d’un modèle reprise"),
            "modele.creation": _("Modèle de démarche créé"),
            "modele.modification": _("Modèle de démarche modifié"),
            "modele.publication": _("Modèle de démarche publié"),
            "dossier.statut": _("Statut d’un dossier changé"),
            "dossier.attribution": _("Dossier attribué"),
            "dossier.demande_piece": _("Pièce demandée à l’usager"),
            "dossier.export": _("Dossiers exportés"),
            "webhook.creation": _("Webhook ajouté"),
            "webhook.suppression": _("Webhook supprimé"),
            "webhook.relance": _("Livraison de webhook relancée"),
        },
    )
