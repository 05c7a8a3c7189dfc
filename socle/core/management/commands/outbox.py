import time

from django.core.management.base import BaseCommand

from socle.core.outbox import outbox_deliver


class Command(BaseCommand):
    help = "Deliver pending outbox messages (once, or in a loop with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep delivering every few seconds")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            count = outbox_deliver()
            if count or not loop:
                self.stdout.write(f"{count} message(s) delivered")
            if not loop:
                return
            time.sleep(interval)
