from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "socle.comptes"
    label = "comptes"
    verbose_name = "Comptes"

    def ready(self):
        # Registers the guard that refuses to edit or delete journal entries.
        from socle.comptes import journal  # noqa: F401
