"""`socle opendata publish --collectivite CODE --schema scdl/subventions FILE` publishes a file
as the next version of a member's dataset of that schema (declared if the member has none);
`socle opendata schemas` lists the schemas shipped.

For a structure publishing for hundreds of members at once, as a script: it acts as the
platform, prints the version published and exits 0, or prints the French report on stderr and
exits 1 (2 for a wrong command line: unknown member, unknown schema).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from socle.membres.models import Membre
from socle.opendata.schemas import TABLE_SCHEMAS, schema_load
from socle.opendata.services import PublicationRefusee, jeu_ensure, version_publish


class Command(BaseCommand):
    help = "Publie un fichier de données d’un membre, ou liste les schémas connus."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        publish = actions.add_parser("publish", help="validate a file and publish it")
        publish.add_argument(
            "--collectivite",
            required=True,
            help="the member: its collectivité's INSEE or SIREN code, or its slug",
        )
        publish.add_argument("--schema", required=True, help="e.g. scdl/subventions")
        publish.add_argument("--titre", default="", help="title of the dataset, if declared")
        publish.add_argument("--jeu", default="", help="slug of the dataset to publish into")
        publish.add_argument("--feuille", default="", help="sheet of an XLSX workbook")
        publish.add_argument("fichier", help="CSV or XLSX file")
        actions.add_parser("schemas", help="list the shipped schemas")

    def handle(self, *args, action: str, **options):
        if action == "schemas":
            for name in TABLE_SCHEMAS:
                schema = schema_load(name)
                if schema is not None:
                    self.stdout.write(f"{name}\t{schema.version}\t{schema.title}")
            return
        self._publish(**options)

    def _membre(self, code: str) -> Membre:
        found = list(
            Membre.objects.select_related("collectivite").filter(
                Q(slug=code) | Q(collectivite__code=code)
            )
        )
        if not found:
            raise CommandError(
                _("Aucun membre n’a le code ou l’adresse « %(c)s ».") % {"c": code},
                returncode=2,
            )
        if len(found) > 1:
            raise CommandError(
                _("Plusieurs membres répondent à « %(c)s » : %(m)s ; donnez l’adresse du membre.")
                % {"c": code, "m": ", ".join(m.slug for m in found)},
                returncode=2,
            )
        return found[0]

    def _publish(self, *, collectivite, schema, titre, jeu, feuille, fichier, **options):
        membre = self._membre(collectivite)
        if schema_load(schema) is None:
            raise CommandError(
                _("Schéma inconnu : %(s)s (voir « socle opendata schemas »).") % {"s": schema},
                returncode=2,
            )
        path = Path(fichier)
        try:
            contenu = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Fichier illisible : %(e)s") % {"e": exc}, returncode=2) from exc
        try:
            # A dataset declared for a file then refused is not left behind.
            with transaction.atomic():
                target = jeu_ensure(
                    acting_user=None, membre=membre, schema=schema, titre=titre, slug=jeu
                )
                version = version_publish(
                    acting_user=None, jeu=target, contenu=contenu, nom=path.name, feuille=feuille
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        except PublicationRefusee as refused:
            self.stderr.write(refused.rapport.texte())
            sys.exit(1)
        self.stdout.write(
            _("Publié : %(membre)s / %(jeu)s, version %(n)d (%(l)d lignes).")
            % {
                "membre": membre.slug,
                "jeu": target.slug,
                "n": version.numero,
                "l": version.nb_lignes,
            }
        )
