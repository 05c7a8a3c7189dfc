"""`socle opendata_generer [--collectivite CODE] [--loop] [--every SECONDS] [--worker]` produces
the datasets the platform generates for its members (mairies, reports, élus, catalogue) and
publishes those that changed.

Without `--worker`, it runs here and now and prints what it published. With `--worker`, it
enqueues the task `opendata_generate_run` for the task workers instead. With `--loop`, it does
so at once, then every `--every` seconds (default 86400: once a day), beside the workers
(as `socle signalements schedule --loop` does for the retention). Running it twice is harmless:
a dataset whose content did not change gets no new version.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from socle.membres.models import Membre
from socle.opendata.services import opendata_generate, opendata_generate_all
from socle.opendata.tasks import opendata_generate_run

DAY = 86400


class Command(BaseCommand):
    help = (
        "Produit les jeux de données générés par la plateforme (mairies, signalements, élus, "
        "catalogue) et publie ceux qui ont changé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--collectivite",
            default="",
            help="one member: its address (slug) or its collectivité's code (INSEE, SIREN)",
        )
        parser.add_argument("--loop", action="store_true", help="run again every --every")
        parser.add_argument(
            "--every", type=float, default=DAY, help="seconds between two runs (default: a day)"
        )
        parser.add_argument(
            "--worker", action="store_true", help="enqueue the work for the task workers"
        )

    def handle(self, *args, collectivite: str, loop: bool, every: float, worker: bool, **options):
        if every <= 0:
            raise CommandError(_("--every doit être un nombre de secondes positif."))
        membre = self._membre(collectivite) if collectivite else None
        if membre is not None and "opendata" not in (membre.modules or []):
            raise CommandError(
                _("%(nom)s n’a pas activé le module Données ouvertes.")
                % {"nom": membre.collectivite.nom}
            )
        while True:
            if worker:
                opendata_generate_run.enqueue(membre_slug=membre.slug if membre else "")
                self.stdout.write(_("Génération des données ouvertes programmée pour les workers."))
            else:
                versions = opendata_generate(membre=membre) if membre else opendata_generate_all()
                for version in versions:
                    self.stdout.write(
                        _("Publié : %(membre)s / %(jeu)s, version %(n)d (%(lignes)d lignes)")
                        % {
                            "membre": version.jeu.membre.slug if version.jeu.membre else "",
                            "jeu": version.jeu.slug,
                            "n": version.numero,
                            "lignes": version.nb_lignes,
                        }
                    )
                if not versions:
                    self.stdout.write(_("Aucun jeu de données n’a changé."))
            if not loop:
                return
            self.stdout.flush()
            time.sleep(every)

    def _membre(self, code: str) -> Membre:
        membre = (
            Membre.objects.select_related("collectivite")
            .filter(Q(slug=code) | Q(collectivite__code=code))
            .first()
        )
        if membre is None:
            raise CommandError(_("Aucun membre ne correspond à « %(c)s ».") % {"c": code})
        return membre
