"""`socle citoyen cles --rotation` re-encrypts with the platform's first key every value made
with SOCLE_ENCRYPTION_KEY (files' data keys, second factors' and webhooks' secrets, data.gouv.fr
API keys) and lists the rows no key opens; `socle citoyen orphelins` deletes the ciphertext
files no row names (older than a day)."""

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
            help="keys: with --rotation, re-encrypt with the first key of SOCLE_ENCRYPTION_KEY "
            "every file's data key (the files themselves are not rewritten), second factors' "
            "and webhooks' secrets and data.gouv.fr API keys; rows no key opens are listed",
        )
        cles.add_argument("--rotation", action="store_true", help="re-encrypt every value")
        cles.add_argument("--lot", type=int, default=500, help="rows per transaction (default 500)")
        actions.add_parser(
            "orphelins",
            help="delete the ciphertext files older than a day that no stored file names",
        )

    def handle(self, *args, action: str, **options):
        if action == "cles":
            if not options["rotation"]:
                raise CommandError(
                    _("Précisez --rotation pour rechiffrer les clés et les secrets.")
                )
            self._rotate(batch=max(1, options["lot"]))
        else:
            report = orphelins_delete()
            self.stdout.write(
                _(
                    "%(deleted)d fichier(s) orphelin(s) supprimé(s) ; "
                    "%(recent)d fichier(s) récent(s) laissé(s) de côté."
                )
                % {"deleted": report.deleted, "recent": report.recent}
            )

    def _rotate(self, *, batch: int) -> None:
        unreadable = 0
        for part in keys_rotate(batch=batch):
            self.stdout.write(str(part.column.rechiffres) % {"count": part.rotated})
            if part.unreadable:
                unreadable += len(part.unreadable)
                self.stderr.write(
                    _(
                        "%(nom)s : %(count)d ligne(s) qu’aucune clé configurée n’ouvre "
                        "(%(model)s, identifiant(s) %(ids)s) ; %(remede)s"
                    )
                    % {
                        "nom": part.column.nom,
                        "count": len(part.unreadable),
                        "model": part.column.model,
                        "ids": ", ".join(str(pk) for pk in part.unreadable),
                        "remede": part.column.remede,
                    }
                )
        if unreadable:
            raise CommandError(
                _(
                    "%(count)d valeur(s) illisible(s), les autres sont rechiffrées : ne retirez "
                    "pas l’ancienne clé avant d’avoir traité les lignes listées."
                )
                % {"count": unreadable}
            )
