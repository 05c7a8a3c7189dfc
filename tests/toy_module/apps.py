"""A toy module, « Jardins partagés », that proves a module needs no edit outside its folder.

Registered (the registry entry below), scoped (`membre_view`, `get_parcelle_for_user`),
audited (`audit_record` in its service), with a back-office page, a public page and an API
endpoint. tests/settings.py installs it for the test run; nothing else names it.
"""

from django.apps import AppConfig

from socle.core.modules import MenuEntry, Module, PermissionSpec


class JardinsConfig(AppConfig):
    name = "tests.toy_module"
    label = "jardins"
    default_auto_field = "django.db.models.BigAutoField"

    socle_module = Module(
        code="jardins",
        label="Jardins partagés",
        description="Les parcelles de jardin que la collectivité prête à ses habitants.",
        public_urls="tests.toy_module.public_urls",
        gestion_urls="tests.toy_module.gestion_urls",
        api_urls="tests.toy_module.api_urls",
        openapi="tests.toy_module.openapi.openapi_part",
        api_scopes={"jardins.lire": "Lire les parcelles"},
        audit_actions={"parcelle.create": "Parcelle créée"},
        menu=(MenuEntry("Jardins partagés", "gestion:jardins:parcelles", "jardins.voir"),),
        permissions={
            "jardins.voir": PermissionSpec("Voir les parcelles", ("administrateur", "agent")),
            "jardins.gerer": PermissionSpec("Créer des parcelles", ("administrateur",)),
        },
    )
