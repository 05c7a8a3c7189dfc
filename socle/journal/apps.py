from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "socle.journal"
    label = "journal"
    verbose_name = "Journal des accès aux données personnelles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the guard that refuses to edit or delete journal entries.
        from socle.journal import services  # noqa: F401
