from django.core.management.base import BaseCommand

from socle.membres.permissions import permissions_markdown


class Command(BaseCommand):
    help = "Print the permission table as Markdown (the block of docs/permissions.md)."

    def add_arguments(self, parser):
        parser.add_argument("--modules", action="store_true", help="include the modules' own")

    def handle(self, *args, **options):
        self.stdout.write(permissions_markdown(modules=options["modules"]), ending="")
