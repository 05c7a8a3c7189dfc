from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from socle.core.modules import MenuEntry, Module


class JournalConfig(AppConfig):
    name = "socle.journal"
    label = "journal"
    verbose_name = "Journal des accès aux données personnelles"
    default_auto_field = "django.db.models.BigAutoField"

    # Every member has it: no switch; its pages join the member's back-office menu.
    socle_module = Module(
        code="journal",
        label=_("Journal des accès aux données personnelles"),
        switchable=False,
        menu=(
            MenuEntry(_("Assistance aux usagers"), "journal:usagers", "usagers.assister"),
            MenuEntry(
                _("Journal des accès aux données personnelles"), "journal:membre", "journal.lire"
            ),
        ),
    )

    def ready(self):
        # Registers the guard that refuses to edit or delete journal entries.
        from socle.journal import services  # noqa: F401
