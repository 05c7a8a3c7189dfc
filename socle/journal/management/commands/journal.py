"""`socle journal verify` checks the chain; `socle journal export` writes entries out."""

import csv
import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socle.journal.selectors import (
    journal_csv_rows,
    journal_entries_for_export,
    journal_export_record,
)
from socle.journal.services import checkpoint_as_dict, journal_checkpoint_publish, journal_verify
from socle.membres.models import Membre


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne du journal des accès aux données personnelles, publie un point de "
        "contrôle signé de sa tête, ou l’exporte."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="recompute every hash, in chain order")
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="published checkpoints kept outside the database (JSON object, list or lines)",
        )
        checkpoint = actions.add_parser(
            "checkpoint", help="sign and store the chain's head (run it periodically)"
        )
        checkpoint.add_argument(
            "--export", action="store_true", help="print the checkpoint as JSON, to publish it"
        )
        export = actions.add_parser("export", help="write entries to standard output")
        export.add_argument("--membre", help="slug of one member (default: every member)")
        export.add_argument("--since", help="first day, YYYY-MM-DD")
        export.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            self._verify(files=options["checkpoint"])
        elif action == "checkpoint":
            self._checkpoint(export=options["export"])
        else:
            self._export(membre=options["membre"], since=options["since"], fmt=options["format"])

    def _read_checkpoints(self, files: list[str]) -> list:
        published: list = []
        for name in files:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    _("Fichier de points de contrôle illisible : %(name)s (%(error)s)")
                    % {"name": name, "error": error.strerror}
                ) from error
            try:
                value = json.loads(text)
                values = value if isinstance(value, list) else [value]
            except json.JSONDecodeError:
                try:
                    values = [json.loads(line) for line in text.splitlines() if line.strip()]
                except json.JSONDecodeError as error:
                    self.stderr.write(
                        _("Journal rompu : le fichier %(name)s n’est pas du JSON (ligne %(line)d)")
                        % {"name": name, "line": error.lineno}
                    )
                    raise SystemExit(1) from error
            published.extend(values)
        return published

    def _checkpoint(self, *, export: bool) -> None:
        try:
            checkpoint = journal_checkpoint_publish()
        except ValidationError as error:
            self.stderr.write(" ".join(error.messages))
            raise SystemExit(1) from error
        if export:
            self.stdout.write(
                json.dumps(checkpoint_as_dict(checkpoint), sort_keys=True, ensure_ascii=False)
            )
            return
        self.stdout.write(
            _(
                "Point de contrôle n°%(number)s : %(count)d entrées, jusqu’à l’entrée n°%(id)s "
                "(empreinte %(hash)s)"
            )
            % {
                "number": checkpoint.number,
                "count": checkpoint.entry_count,
                "id": checkpoint.entry_id,
                "hash": checkpoint.entry_hash,
            }
        )

    def _verify(self, *, files: list[str]) -> None:
        report = journal_verify(published=self._read_checkpoints(files))
        if report.ok:
            self.stdout.write(_("Journal intègre : %(count)d entrées") % {"count": report.count})
            self.stdout.write(_("Dernière empreinte : %(head)s") % {"head": report.head})
            return
        if report.broken_id is None:
            self.stderr.write(_("Journal rompu : %(reason)s") % {"reason": report.reason})
        else:
            self.stderr.write(
                _(
                    "Journal rompu à l’entrée n°%(id)s : %(reason)s "
                    "(%(count)d entrées intègres avant)"
                )
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
