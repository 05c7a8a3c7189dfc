import time

from django.core.management.base import BaseCommand

from socle.core.outbox import outbox_sweep


class Command(BaseCommand):
    help = (
        "Queue again the outbox messages whose delivery task is overdue (lost worker, outage); "
        "the workers (`socle db_worker`) deliver them. Once, or in a loop with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sweeping every --interval")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            count = outbox_sweep()
            if count or not loop:
                self.stdout.write(f"{count} message(s) queued again")
            if not loop:
                return
            time.sleep(interval)
