from django.apps import AppConfig


class MembresConfig(AppConfig):
    name = "socle.membres"
    label = "membres"
    verbose_name = "Membres"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The module apps' permissions join the table (their registry entries are data).
        from socle.core.modules import registered_modules
        from socle.membres.permissions import Permission, permission_register

        for module in registered_modules():
            for name, spec in module.permissions.items():
                roles = (frozenset(spec.member_roles), frozenset(spec.structure_roles))
                permission_register(name, Permission(str(spec.label), *roles))
