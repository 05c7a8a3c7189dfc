"""`socle open311 create-key|list|revoke`: the Open311 clients' API keys (the platform acts).

A key holds the scope `signalements.open311`; with `--collectivite` it belongs to that member
and posts only the reports that member handles, else it is the platform's and posts anywhere.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from socle.api.models import ApiKey
from socle.api.services import api_key_create, api_key_revoke
from socle.membres.models import Membre

SCOPE = "signalements.open311"


class Command(BaseCommand):
    help = "Crée, liste ou révoque les clés d’API des applications clientes Open311."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create-key", help="Créer une clé Open311 (affichée une seule fois)."
        )
        create.add_argument("--name", required=True, help="L’application cliente.")
        create.add_argument(
            "--collectivite",
            metavar="CODE",
            help="Code INSEE ou SIREN (ou adresse) du membre ; sans lui, toute la plateforme.",
        )
        create.add_argument("--rate", type=int, default=60, help="Requêtes par minute.")
        actions.add_parser("list", help="Lister les clés Open311.")
        revoke = actions.add_parser("revoke", help="Révoquer une clé Open311.")
        revoke.add_argument("--id", type=int, required=True, dest="key_id")

    def handle(self, *args, **options) -> None:
        action = options["action"].replace("-", "_")
        getattr(self, f"_{action}")(options)

    def _membre(self, code: str) -> Membre:
        membre = (
            Membre.objects.select_related("collectivite")
            .filter(Q(collectivite__code=code) | Q(slug=code))
            .first()
        )
        if membre is None:
            raise CommandError(f"Aucun membre de code ou d’adresse « {code} ».")
        return membre

    def _create_key(self, options) -> None:
        membre = self._membre(options["collectivite"]) if options["collectivite"] else None
        try:
            key, plaintext = api_key_create(
                acting_user=None,
                membre=membre,
                name=options["name"],
                application=options["name"],
                scopes=[SCOPE],
                rate_per_minute=options["rate"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        owner = membre.collectivite.nom if membre else "toute la plateforme"
        self.stderr.write(
            f"Clé Open311 n° {key.pk} « {key.name} » ({owner}) créée. Elle ne sera plus affichée :"
        )
        self.stdout.write(plaintext)

    def _keys(self) -> list[ApiKey]:
        # Scopes are a JSON list: filtered here, the same on SQLite and PostgreSQL.
        keys = ApiKey.objects.select_related("membre__collectivite").order_by("created_at", "pk")
        return [key for key in keys if SCOPE in key.scopes]

    def _list(self, options) -> None:
        for key in self._keys():
            owner = key.membre.collectivite.code if key.membre else "(plateforme)"
            state = f"révoquée {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            self.stdout.write(
                f"{key.pk}\t{key.prefix}\t{owner}\t{key.name}\t{key.rate_per_minute}/min\t{state}"
            )

    def _revoke(self, options) -> None:
        key = ApiKey.objects.filter(pk=options["key_id"]).first()
        if key is None or SCOPE not in key.scopes:
            raise CommandError(f"Aucune clé Open311 n° {options['key_id']}.")
        api_key_revoke(acting_user=None, key=key)
        self.stdout.write(f"Clé Open311 n° {key.pk} « {key.name} » révoquée.")
