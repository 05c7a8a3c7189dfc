"""`socle journal verify` checks the chain; `socle journal export` writes entries out."""

import csv
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socle.journal.selectors import (
    journal_csv_rows,
    journal_entries_for_export,
    journal_export_record,
)
from socle.journal.services import journal_verify
from socle.membres.models import Membre


class Command(BaseCommand):
    help = "Vérifie la chaîne du journal des accès aux données personnelles, ou l’exporte."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="recompute every hash, in chain order")
        export = actions.add_parser("export", help="write entries to standard output")
        export.add_argument("--membre", help="slug of one member (default: every member)")
        export.add_argument("--since", help="first day, YYYY-MM-DD")
        export.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            self._verify()
        else:
            self._export(membre=options["membre"], since=options["since"], fmt=options["format"])

    def _verify(self) -> None:
        report = journal_verify()
        if report.ok:
            self.stdout.write(_("Journal intègre : %(count)d entrées") % {"count": report.count})
            self.stdout.write(_("Dernière empreinte : %(head)s") % {"head": report.head})
            return
        self.stderr.write(
            _("Journal rompu à l’entrée n°%(id)s : %(reason)s (%(count)d entrées intègres avant)")
            % {"id": report.broken_id, "reason": report.reason, "count": report.count}
        )
        raise SystemExit(1)

    def _export(self, *, membre: str | None, since: str | None, fmt: str) -> None:
        found = None
        if membre:
            found = Membre.objects.filter(slug=membre).first()
            if found is None:
                raise CommandError(_("Collectivité membre inconnue : %s") % membre)
        since_day = None
        if since:
            try:
                since_day = date.fromisoformat(since)
            except ValueError as error:
                raise CommandError(
                    _("Date invalide : %s (format attendu AAAA-MM-JJ)") % since
                ) from error
        entries = journal_entries_for_export(membre=found, since=since_day).iterator(
            chunk_size=1000
        )
        if fmt == "json":
            records = [journal_export_record(entry) for entry in entries]
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerows(journal_csv_rows(entries))
