"""Say who handles a competence at a point, as the public API does, from the command line."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from socle.routage import routing
from socle.routage.api import hors_commune_message
from socle.territoires.hours import horaires_en_clair
from socle.territoires.models import Collectivite


class Command(BaseCommand):
    help = _(
        "Dit qui traite une compétence en un point : la commune, le titulaire de la "
        "compétence et pourquoi, puis le service ou le contact public."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Plain text, parsed like the API's parameters so the messages are the same.
        parser.add_argument("--lat", help=_("Latitude (WGS 84), par exemple 44.8378."))
        parser.add_argument("--lon", help=_("Longitude (WGS 84), par exemple -0.5792."))
        parser.add_argument("--competence", help=_("Code de la compétence, par exemple voirie."))
        parser.add_argument("--json", action="store_true", help=_("Répondre en JSON."))

    def handle(self, *args, **options) -> None:
        try:
            lat = routing.parse_coordinate(options["lat"], "lat")
            lon = routing.parse_coordinate(options["lon"], "lon")
            router = routing.get_router(refresh=True)
            code = (options["competence"] or "").strip()
            if not code:
                missing = _("La compétence (paramètre « competence ») est obligatoire.")
                raise CommandError(f"{missing} {valid_codes(router.rules.codes)}")
            result = router.route(lat, lon, code)
        except routing.UnknownCompetence as error:
            raise CommandError(f"{error.message} {valid_codes(error.valid_codes)}") from error
        except routing.RoutingError as error:
            raise CommandError(error.message) from error

        if result.status == routing.HORS_FRANCE:
            raise CommandError(
                _(
                    "Ce point est hors de France (métropole, Corse et départements d'outre-mer) : "
                    "aucune collectivité n'y est compétente."
                )
            )
        if result.status == routing.HORS_COMMUNE:
            raise CommandError(hors_commune_message(result))
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write("\n".join(describe(result)))


def valid_codes(codes: list[str]) -> str:
    """List the valid competence codes in a sentence."""
    return _("Compétences valides : %(codes)s.") % {"codes": ", ".join(codes)}


def _kind(kind: str) -> str:
    return str(Collectivite.Kind(kind).label).lower() if kind in Collectivite.Kind.values else kind


def describe(result: routing.RoutingResult) -> list[str]:
    """Describe a routing result in plain French, one line per fact."""
    commune, holder, reason = result.commune, result.holder, result.reason
    assert commune is not None and holder is not None and reason is not None
    lines = [
        _("Point : %(lat)s, %(lon)s") % {"lat": result.lat, "lon": result.lon},
        _("Commune : %(nom)s (%(code)s)") % {"nom": commune.nom, "code": commune.code},
        _("Compétence : %(nom)s (%(code)s)")
        % {"nom": result.competence.nom, "code": result.competence.code},
        _("Titulaire : %(nom)s (%(kind)s %(code)s), %(member)s")
        % {
            "nom": holder.nom,
            "kind": _kind(holder.kind),
            "code": holder.code,
            "member": _("membre « %(slug)s »") % {"slug": holder.slug}
            if holder.member
            else _("non membre"),
        },
        _("Pourquoi : %(label)s [%(reason)s]")
        % {"label": routing.reason_label(reason), "reason": reason},
    ]
    if holder.member:
        if result.service is not None:
            service = result.service
            details = [detail for detail in (service.email, service.telephone) if detail]
            if service.secteur:
                details.append(_("secteur %(nom)s") % {"nom": service.secteur})
            lines.append(
                _("Service : %(nom)s%(details)s")
                % {"nom": service.nom, "details": f" — {', '.join(details)}" if details else ""}
            )
        else:
            lines.append(
                _("Service : aucun. %(why)s")
                % {"why": routing.service_reason_label(result.service_reason or "")}
            )
    contact = result.contact
    if contact is not None:
        mairie = {"nom": contact.collectivite.nom}
        if contact.point_entree:
            lines.append(_("Contact (point d'entrée) : mairie de %(nom)s") % mairie)
        else:
            lines.append(_("Contact : mairie de %(nom)s") % mairie)
        if contact.adresse:
            lines.append("  " + contact.adresse.replace("\n", ", "))
        for label, value in (
            (_("Téléphone"), contact.telephone),
            (_("Courriel"), contact.email),
            (_("Site"), contact.site_web),
        ):
            if value:
                lines.append(f"  {label} : {value}")
        for line in horaires_en_clair(contact.horaires):
            lines.append(f"  {line}")
    return lines
