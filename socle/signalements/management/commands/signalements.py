"""`socle signalements retention [--dry-run]` applies the retention rules of the reports now;
`socle signalements schedule [--loop] [--every SECONDS]` enqueues that work for the task workers.

The retention must run by itself: `schedule --loop` runs beside the workers (`make run`,
scripts/production_start.sh) and enqueues the task `signalements_retention_run` at once, then
every `--every` seconds (default 86400: once a day). Running it twice is harmless: the
retention only touches what is due, once. Without `--loop`, it enqueues the task once (for a
cron or systemd timer instead).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from socle.signalements.services import signalements_retention_apply
from socle.signalements.tasks import signalements_retention_run

DAY = 86400


class Command(BaseCommand):
    help = (
        "Applique la conservation des signalements (données personnelles effacées, "
        "signalements jamais confirmés et photos de signalements masqués supprimés), ou la "
        "programme pour les workers."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        retention = actions.add_parser("retention", help="apply the retention rules now")
        retention.add_argument(
            "--dry-run", action="store_true", help="count what would be erased, change nothing"
        )
        schedule = actions.add_parser(
            "schedule", help="enqueue the retention task (with --loop: now, then periodically)"
        )
        schedule.add_argument("--loop", action="store_true", help="keep enqueueing every --every")
        schedule.add_argument(
            "--every", type=float, default=DAY, help="seconds between two runs (default: a day)"
        )

    def handle(self, *args, action: str, **options):
        if action == "retention":
            self._retention(dry_run=options["dry_run"])
        else:
            self._schedule(loop=options["loop"], every=options["every"])

    def _retention(self, *, dry_run: bool) -> None:
        with transaction.atomic():
            counts = signalements_retention_apply()
            if dry_run:
                # Everything it did is undone, files included (deleted only on commit).
                transaction.set_rollback(True)
        if dry_run:
            lines = (
                _("Signalements dont les données personnelles seraient effacées : %(n)d"),
                _("Signalements jamais confirmés qui seraient supprimés : %(n)d"),
                _("Photos de signalements masqués qui seraient supprimées : %(n)d"),
            )
        else:
            lines = (
                _("Signalements dont les données personnelles sont effacées : %(n)d"),
                _("Signalements jamais confirmés supprimés : %(n)d"),
                _("Photos de signalements masqués supprimées : %(n)d"),
            )
        for line, key in zip(lines, ("signalements", "non_confirmes", "photos"), strict=True):
            self.stdout.write(line % {"n": counts[key]})
        if dry_run:
            self.stdout.write(_("Essai : rien n’a été modifié."))

    def _schedule(self, *, loop: bool, every: float) -> None:
        if every <= 0:
            raise CommandError(_("--every doit être un nombre de secondes positif."))
        while True:
            signalements_retention_run.enqueue()
            self.stdout.write(_("Conservation des signalements programmée pour les workers."))
            if not loop:
                return
            self.stdout.flush()
            time.sleep(every)
