"""`socle demarches documents --generer-manquants` queues again the generation of the receipts
and attestations that have no file yet (a task that failed for good, or a lost one); the task
workers make them. Running it twice is harmless: a document is generated once.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from socle.demarches.documents import documents_missing_queue


class Command(BaseCommand):
    help = "Travaux des démarches en ligne : documents (récépissés, attestations) à générer."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        documents = actions.add_parser("documents", help="receipts and attestations")
        documents.add_argument(
            "--generer-manquants",
            action="store_true",
            help="queue the generation of every document that has no file yet",
        )

    def handle(self, *args, action: str, **options):
        if action == "documents":
            if not options["generer_manquants"]:
                self.stdout.write(_("Rien à faire : précisez --generer-manquants."))
                return
            count = documents_missing_queue()
            self.stdout.write(_("Documents mis en file de génération : %(n)d") % {"n": count})
