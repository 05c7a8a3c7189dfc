from django.core.management.base import BaseCommand, CommandError

from socle.comptes import totp
from socle.comptes.security import second_factor_device, user_for_email
from socle.demo import setup as demo


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (demo accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        # Only the demo's own accounts, whose secrets are no secret: never a real agent's.
        if email.strip().lower() not in {account[0] for account in demo.ACCOUNTS}:
            raise CommandError("Ce compte n'est pas un compte de démonstration.")
        user = user_for_email(email)
        device = second_factor_device(user) if user else None
        if device is None or device.confirmed_at is None:
            raise CommandError("Ce compte n'a pas de second facteur activé.")
        self.stdout.write(totp.code_at(totp.secret_decrypt(device.secret)))
