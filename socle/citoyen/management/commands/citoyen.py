"""`socle citoyen cles --rotation` re-wraps every data key with the platform's first key;
`socle citoyen orphelins` deletes the ciphertext files no row names (older than a day)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from socle.citoyen.chiffrement import keys_rotate
from socle.citoyen.services import orphelins_delete


class Command(BaseCommand):
    help = "Entretien des fichiers chiffrés du dossier citoyen : rotation des clés, orphelins."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        cles = actions.add_parser(
            "cles",
            help="keys: with --rotation, re-wrap every file's data key with the first key of "
            "SOCLE_ENCRYPTION_KEY (the files themselves are not rewritten)",
        )
        cles.add_argument("--rotation", action="store_true", help="re-wrap every data key")
        actions.add_parser(
            "orphelins",
            help="delete the ciphertext files older than a day that no stored file names",
        )

    def handle(self, *args, action: str, **options):
        if action == "cles":
            if not options["rotation"]:
                raise CommandError(_("Précisez --rotation pour rechiffrer les clés des fichiers."))
            count = keys_rotate()
            self.stdout.write(
                _("%(count)d clé(s) de fichier rechiffrée(s) avec la première clé.")
                % {"count": count}
            )
        else:
            report = orphelins_delete()
            self.stdout.write(
                _(
                    "%(deleted)d fichier(s) orphelin(s) supprimé(s) ; "
                    "%(recent)d fichier(s) récent(s) laissé(s) de côté."
                )
                % {"deleted": report.deleted, "recent": report.recent}
            )
