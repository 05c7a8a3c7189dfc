"""`socle demarches retention [--dry-run]`: erase the personal data of closed dossiers kept past
their date (answers, names, messages, files; reference, procedure, status and dates stay for
statistics) and delete drafts untouched for six months. Run it daily (cron, systemd timer);
running it twice is harmless: it only touches what is due, once.

Other subcommands join this one (one command per module, subcommands per task).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from socle.demarches.instruction import dossiers_retention_apply


class Command(BaseCommand):
    help = "Démarches en ligne : conservation des dossiers (effacement des données personnelles)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        retention = actions.add_parser(
            "retention", help="erase the personal data of dossiers past their retention"
        )
        retention.add_argument(
            "--dry-run", action="store_true", help="count what would be erased, change nothing"
        )

    def handle(self, *args, action: str, **options):
        if action == "retention":
            self._retention(dry_run=options["dry_run"])

    def _retention(self, *, dry_run: bool) -> None:
        with transaction.atomic():
            counts = dossiers_retention_apply()
            if dry_run:
                # Everything it did is undone, files included (deleted only on commit).
                transaction.set_rollback(True)
        prefix = _("(simulation) ") if dry_run else ""
        self.stdout.write(
            prefix
            + _("Dossiers dont les données personnelles sont effacées : %(n)d")
            % {"n": counts["anonymises"]}
        )
        self.stdout.write(
            prefix
            + _("Brouillons abandonnés supprimés : %(n)d") % {"n": counts["brouillons_supprimes"]}
        )
