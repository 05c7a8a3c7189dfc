"""`socle datagouv_sweep [--loop] [--every SECONDS]` queues again the open data tasks that were
lost (a worker killed, Redis emptied): publications to data.gouv.fr and uploads to validate, as
`socle outbox` does for mail; with `--loop`, every minute beside the workers."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socle.opendata.datagouv import datagouv_sweep
from socle.opendata.services import depots_sweep


class Command(BaseCommand):
    help = "Relance les publications sur data.gouv.fr dont la tâche a été perdue."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="run again every --every")
        parser.add_argument("--every", type=float, default=60.0, help="seconds between runs")

    def handle(self, *args, loop: bool, every: float, **options):
        if every <= 0:
            raise CommandError(_("--every doit être un nombre de secondes positif."))
        while True:
            count = datagouv_sweep()
            if count:
                self.stdout.write(_("%(n)d publication(s) relancée(s).") % {"n": count})
            depots = depots_sweep()
            if depots:
                self.stdout.write(_("%(n)d dépôt(s) relancé(s).") % {"n": depots})
            if not loop:
                return
            self.stdout.flush()
            time.sleep(every)
