"""Serve the fake data.gouv.fr API on loopback, for the demo."""

from django.core.management.base import BaseCommand, CommandError

from socle.demo.fake_datagouv import DEMO_KEY, DEMO_ORGANISATION, FakeDataGouvServer


class Command(BaseCommand):
    help = (
        "Serve a local stand-in for data.gouv.fr's API (udata's /api/1/datasets/ endpoints: "
        "create, update, upload and replace a resource's file, declare its schema), in memory. "
        "Loopback only; point DATAGOUV_API_URL at it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8003)
        parser.add_argument(
            "--host", default="127.0.0.1", help="a loopback address (the default is 127.0.0.1)"
        )
        parser.add_argument(
            "--organisation",
            action="append",
            default=[],
            metavar="ID=CLE",
            help="an organisation and its API key (repeatable; default: the demo's)",
        )

    def handle(self, *args, port: int, host: str, organisation: list[str], **options):
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise CommandError("The fake data.gouv.fr API only listens on loopback.")
        organisations = {}
        for spec in organisation:
            org, sep, key = spec.partition("=")
            if not sep or not org or not key:
                raise CommandError(f"--organisation expects ID=CLE, not {spec!r}.")
            organisations[org] = key
        try:
            server = FakeDataGouvServer(
                organisations=organisations or {DEMO_ORGANISATION: DEMO_KEY},
                host=host,
                port=port,
                verbose=True,
            )
        except OSError as error:
            raise CommandError(f"Cannot listen on {host}:{port}: {error}") from error
        self.stdout.write(f"API data.gouv.fr fictive : {server.api_url}")
        for org, key in server.fake.organisations.items():
            self.stdout.write(f"  organisation {org}, clé d’API {key} (fictive)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("arrêtée")
