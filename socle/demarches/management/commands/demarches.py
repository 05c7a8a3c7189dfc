"""`socle demarches …`: the démarches module's periodic work.

- `retention [--dry-run]`: erase the personal data of closed dossiers kept past their date
  (answers, names, messages, files; reference, procedure, status and dates stay for statistics)
  and delete drafts untouched for six months.
- `documents --generer-manquants`: queue again the receipts and attestations that have no file
  yet (a task that failed for good, or a lost one); the task workers make them.
- `schedule [--loop] [--every SECONDS]`: both of the above (documents created over 40 minutes
  ago only: their own task retries until then) plus two sweeps (filings whose completion —
  receipt, mails, webhooks — and webhook deliveries whose task was lost are queued again): the
  sweeps every `--every` seconds (default 300), the retention once a day, and with it the
  citizen's file's orphan ciphertexts (`socle citoyen orphelins`: files a rolled-back upload
  left, older than a day). `make run` and scripts/production_start.sh run it beside the
  workers.

Running any of them twice is harmless: each only touches what is due, once.
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from socle.citoyen.services import orphelins_delete
from socle.demarches.depot import filings_incomplete_queue
from socle.demarches.documents import documents_missing_queue
from socle.demarches.instruction import dossiers_retention_apply
from socle.demarches.webhooks import livraisons_sweep

DAY = 86400
# A document's own task retries for about 30 minutes (tasks.MAX_ATTEMPTS): the sweep leaves the
# documents younger than that to it.
MISSING_AFTER = timedelta(minutes=40)


class Command(BaseCommand):
    help = (
        "Travaux des démarches en ligne : conservation des dossiers, dépôts à compléter, "
        "documents à générer, livraisons de webhooks perdues."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        retention = actions.add_parser(
            "retention", help="erase the personal data of dossiers past their retention"
        )
        retention.add_argument(
            "--dry-run", action="store_true", help="count what would be erased, change nothing"
        )
        documents = actions.add_parser("documents", help="receipts and attestations")
        documents.add_argument(
            "--generer-manquants",
            action="store_true",
            help="queue the generation of every document that has no file yet",
        )
        schedule = actions.add_parser(
            "schedule", help="sweeps every --every seconds, retention daily (with --loop)"
        )
        schedule.add_argument("--loop", action="store_true", help="keep running")
        schedule.add_argument(
            "--every", type=float, default=300, help="seconds between two sweeps (default 300)"
        )

    def handle(self, *args, action: str, **options):
        if action == "retention":
            self._retention(dry_run=options["dry_run"])
        elif action == "documents":
            if not options["generer_manquants"]:
                self.stdout.write(_("Rien à faire : précisez --generer-manquants."))
                return
            self._documents()
        else:
            self._schedule(loop=options["loop"], every=options["every"])

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

    def _documents(self, *, older_than: timedelta | None = None) -> None:
        count = documents_missing_queue(older_than=older_than)
        self.stdout.write(_("Documents mis en file de génération : %(n)d") % {"n": count})

    def _orphelins(self) -> None:
        report = orphelins_delete()
        self.stdout.write(
            _("Fichiers chiffrés orphelins supprimés : %(n)d") % {"n": report.deleted}
        )

    def _schedule(self, *, loop: bool, every: float) -> None:
        if every <= 0:
            raise CommandError(_("--every doit être un nombre de secondes positif."))
        last_retention = 0.0
        while True:
            completed = filings_incomplete_queue()
            self.stdout.write(_("Dépôts à compléter remis en file : %(n)d") % {"n": completed})
            self._documents(older_than=MISSING_AFTER)
            swept = livraisons_sweep()
            self.stdout.write(_("Livraisons de webhooks relancées : %(n)d") % {"n": swept})
            if time.monotonic() - last_retention >= DAY or not last_retention:
                self._retention(dry_run=False)
                self._orphelins()
                last_retention = time.monotonic()
            if not loop:
                return
            self.stdout.flush()
            time.sleep(every)
