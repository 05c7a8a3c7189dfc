"""Serve the fake FranceConnect (and ProConnect) provider on loopback, for the demo."""

from django.core.management.base import BaseCommand, CommandError

from socle.demo.fake_franceconnect import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FakeProviderServer,
)


class Command(BaseCommand):
    help = (
        "Serve a local OpenID Connect provider that behaves as FranceConnect v2 (and one that "
        "behaves as ProConnect), with fictitious identities. Loopback only; for the demo and "
        "local development, never for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument(
            "--host", default="127.0.0.1", help="a loopback address (the default is 127.0.0.1)"
        )
        parser.add_argument("--client-id", default=DEMO_CLIENT_ID)
        parser.add_argument("--client-secret", default=DEMO_CLIENT_SECRET)

    def handle(self, *args, port: int, host: str, client_id: str, client_secret: str, **options):
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise CommandError("The fake provider only listens on loopback.")
        try:
            server = FakeProviderServer(
                host=host, port=port, verbose=True, clients={client_id: client_secret}
            )
        except OSError as error:
            raise CommandError(f"Cannot listen on {host}:{port}: {error}") from error
        self.stdout.write(f"FranceConnect fictif : {server.franceconnect.issuer}")
        self.stdout.write(f"ProConnect fictif    : {server.proconnect.issuer}")
        self.stdout.write(f"client_id={client_id}  (Ctrl-C pour arrêter)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("arrêté")
