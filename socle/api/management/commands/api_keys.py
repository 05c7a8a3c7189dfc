"""`socle api_keys create|revoke|list`: API keys from the command line (the platform acts)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socle.api.models import ApiKey
from socle.api.services import api_key_create, api_key_revoke
from socle.membres.models import Membre


class Command(BaseCommand):
    help = "Crée, révoque ou liste les clés d'API."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Créer une clé (affichée une seule fois).")
        owner = create.add_mutually_exclusive_group(required=True)
        owner.add_argument("--membre", metavar="SLUG", help="Clé d'un membre.")
        owner.add_argument("--platform", action="store_true", help="Clé de toute la plateforme.")
        create.add_argument("--name", required=True)
        create.add_argument("--application", default="")
        create.add_argument("--scope", action="append", required=True, dest="scopes")
        create.add_argument("--rate", type=int, default=60, help="Requêtes par minute.")
        revoke = actions.add_parser("revoke", help="Révoquer une clé.")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list", help="Lister les clés.")
        listing.add_argument("--membre", metavar="SLUG")

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _membre(self, slug: str) -> Membre:
        membre = Membre.objects.filter(slug=slug).first()
        if membre is None:
            raise CommandError(f"Membre inconnu : {slug}")
        return membre

    def _create(self, options) -> None:
        membre = None if options["platform"] else self._membre(options["membre"])
        try:
            key, plaintext = api_key_create(
                acting_user=None,
                membre=membre,
                name=options["name"],
                application=options["application"],
                scopes=options["scopes"],
                rate_per_minute=options["rate"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            f"Clé « {key.name} » créée (préfixe {key.prefix}). Elle ne sera plus affichée :"
        )
        self.stdout.write(plaintext)

    def _revoke(self, options) -> None:
        key = ApiKey.objects.filter(prefix=options["prefix"]).first()
        if key is None:
            raise CommandError(f"Aucune clé de préfixe {options['prefix']}")
        api_key_revoke(acting_user=None, key=key)
        self.stdout.write(f"Clé « {key.name} » ({key.prefix}) révoquée.")

    def _list(self, options) -> None:
        keys = ApiKey.objects.select_related("membre").order_by("created_at", "pk")
        if options["membre"]:
            keys = keys.filter(membre=self._membre(options["membre"]))
        for key in keys:
            owner = key.membre.slug if key.membre else "(plateforme)"
            state = f"révoquée {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            self.stdout.write(
                f"{key.prefix}\t{owner}\t{key.name}\t{','.join(key.scopes)}\t"
                f"{key.rate_per_minute}/min\t{state}"
            )
