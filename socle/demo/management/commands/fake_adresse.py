"""Serve the fake national address API on loopback, for the demo."""

from django.core.management.base import BaseCommand, CommandError

from socle.demo.fake_adresse import ADDRESSES, FakeAdresseServer


class Command(BaseCommand):
    help = (
        "Serve a local stand-in for the national address API (api-adresse.data.gouv.fr's "
        "/search/ format) with a few addresses of the Gironde. Loopback only; point "
        "ADDRESS_API_URL at it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8002)
        parser.add_argument(
            "--host", default="127.0.0.1", help="a loopback address (the default is 127.0.0.1)"
        )

    def handle(self, *args, port: int, host: str, **options):
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise CommandError("The fake address API only listens on loopback.")
        try:
            server = FakeAdresseServer(host=host, port=port, verbose=True)
        except OSError as error:
            raise CommandError(f"Cannot listen on {host}:{port}: {error}") from error
        self.stdout.write(f"API Adresse fictive : {server.url}/search/?q=…")
        for address in ADDRESSES:
            self.stdout.write(f"  {address.label}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("arrêtée")
