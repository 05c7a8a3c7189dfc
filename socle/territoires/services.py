"""Writes on members, services and competence rules; each bumps what routing depends on."""

import re
from urllib.parse import urlsplit

import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from socle.comptes.models import Role, User
from socle.comptes.services import invitation_create, role_end
from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
    Membre,
    RoutingVersion,
    Service,
)

# Addresses taken by the platform's own pages (/gestion/journal/, /gestion/mes-acces/…).
RESERVED_SLUGS = {
    "api",
    "comptes",
    "gestion",
    "static",
    "media",
    "admin",
    "operateur",
    "journal",
    "mes-acces",
}
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def routing_rules_changed() -> None:
    """Tell every process that competence rules, members or services changed."""
    RoutingVersion.objects.get_or_create(pk=1)
    RoutingVersion.objects.filter(pk=1).update(rules=F("rules") + 1)


def _clean_membre_fields(*, slug: str, couleur: str, modules: list[str], hostname: str | None):
    if slug != slugify(slug) or not slug:
        raise ValidationError({"slug": _("L'adresse ne peut contenir que a-z, 0-9 et des tirets.")})
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Cette adresse est réservée.")})
    if not COLOR_RE.match(couleur):
        raise ValidationError({"couleur": _("La couleur doit être au format #RRVVBB.")})
    unknown = set(modules) - set(Membre.Module.values)
    if unknown:
        raise ValidationError({"modules": _("Module inconnu : %s") % ", ".join(sorted(unknown))})
    if hostname:
        hostname = hostname.strip().lower()
        if not re.fullmatch(
            r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", hostname
        ):
            raise ValidationError({"hostname": _("Nom d'hôte invalide.")})
        if hostname == urlsplit(settings.SITE_URL).hostname:
            raise ValidationError({"hostname": _("C'est l'adresse de la plateforme elle-même.")})
    return hostname or None


@transaction.atomic
def membre_onboard(
    *,
    collectivite: Collectivite,
    slug: str,
    admin_email: str | None,
    by: User | None,
    couleur: str = "#1f4e8c",
    modules: list[str] | None = None,
    hostname: str | None = None,
) -> Membre:
    """Make a collectivité a member and invite its first administrator, if given."""
    modules = list(modules or [])
    hostname = _clean_membre_fields(slug=slug, couleur=couleur, modules=modules, hostname=hostname)
    if not collectivite.active:
        raise ValidationError(_("Cette collectivité n'existe plus (commune fusionnée)."))
    if Membre.objects.filter(collectivite=collectivite).exists():
        raise ValidationError(_("Cette collectivité est déjà membre."))
    if Membre.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Cette adresse est déjà utilisée.")})
    if hostname and Membre.objects.filter(hostname=hostname).exists():
        raise ValidationError({"hostname": _("Ce nom d'hôte est déjà utilisé.")})
    membre = Membre.objects.create(
        collectivite=collectivite, slug=slug, couleur=couleur, modules=modules, hostname=hostname
    )
    if admin_email:
        invitation_create(
            email=admin_email, kind=Role.Kind.ADMINISTRATEUR, membre=membre, invited_by=by
        )
    routing_rules_changed()
    return membre


@transaction.atomic
def membre_update(
    *,
    membre: Membre,
    couleur: str,
    modules: list[str],
    hostname: str | None,
    active: bool | None = None,
) -> Membre:
    """Change a member's theme, modules, host name or status."""
    hostname = _clean_membre_fields(
        slug=membre.slug, couleur=couleur, modules=modules, hostname=hostname
    )
    if hostname and Membre.objects.filter(hostname=hostname).exclude(pk=membre.pk).exists():
        raise ValidationError({"hostname": _("Ce nom d'hôte est déjà utilisé.")})
    membre.couleur, membre.modules, membre.hostname = couleur, modules, hostname
    fields = ["couleur", "modules", "hostname"]
    if active is not None:
        membre.active = active
        fields.append("active")
    membre.save(update_fields=fields)
    routing_rules_changed()
    return membre


def _parse_secteur(geojson: str | None) -> bytes | None:
    if not geojson:
        return None
    try:
        geom = shapely.from_geojson(geojson)
    except Exception as exc:  # noqa: BLE001 - shapely raises several kinds here
        raise ValidationError({"secteur": _("Secteur illisible : GeoJSON attendu.")}) from exc
    if geom.geom_type not in {"Polygon", "MultiPolygon"} or geom.is_empty:
        raise ValidationError({"secteur": _("Le secteur doit être un polygone.")})
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return shapely.to_wkb(geom)


@transaction.atomic
def service_create(
    *,
    membre: Membre,
    nom: str,
    competences: list[Competence],
    email: str = "",
    telephone: str = "",
    secteur_nom: str = "",
    secteur_geojson: str | None = None,
) -> Service:
    """Create a service of a member, handling some competences, maybe in a sector."""
    nom = nom.strip()
    if not nom:
        raise ValidationError({"nom": _("Le nom du service est obligatoire.")})
    if Service.objects.filter(membre=membre, nom=nom).exists():
        raise ValidationError({"nom": _("Un service porte déjà ce nom.")})
    service = Service.objects.create(
        membre=membre,
        nom=nom,
        email=email,
        telephone=telephone,
        secteur_nom=secteur_nom,
        secteur_wkb=_parse_secteur(secteur_geojson),
    )
    service.competences.set(competences)
    routing_rules_changed()
    return service


@transaction.atomic
def service_update(
    *,
    service: Service,
    nom: str,
    competences: list[Competence],
    email: str = "",
    telephone: str = "",
    secteur_nom: str = "",
    secteur_geojson: str | None = None,
) -> Service:
    """Change a service; an empty sector keeps the current one."""
    nom = nom.strip()
    if not nom:
        raise ValidationError({"nom": _("Le nom du service est obligatoire.")})
    if Service.objects.filter(membre=service.membre, nom=nom).exclude(pk=service.pk).exists():
        raise ValidationError({"nom": _("Un service porte déjà ce nom.")})
    service.nom, service.email, service.telephone = nom, email, telephone
    service.secteur_nom = secteur_nom
    fields = ["nom", "email", "telephone", "secteur_nom"]
    if secteur_geojson:
        service.secteur_wkb = _parse_secteur(secteur_geojson)
        fields.append("secteur_wkb")
    service.save(update_fields=fields)
    service.competences.set(competences)
    routing_rules_changed()
    return service


@transaction.atomic
def service_delete(*, service: Service, by: User | None = None, request=None) -> None:
    """Delete a service, ending its agents' roles first (their history stays)."""
    for role in Role.objects.filter(service=service, ended_at__isnull=True):
        role_end(role=role, ended_by=by, request=request)
    service.delete()
    routing_rules_changed()


@transaction.atomic
def competence_transfer_set(
    *, epci: Collectivite, competence: Competence, transferred: bool | None
) -> None:
    """Record whether an EPCI holds a competence for its communes; None returns to the law."""
    if epci.kind != Collectivite.Kind.EPCI:
        raise ValidationError(_("Seule une intercommunalité reçoit des transferts."))
    if transferred is None:
        CompetenceTransfer.objects.filter(epci=epci, competence=competence).delete()
    else:
        CompetenceTransfer.objects.update_or_create(
            epci=epci, competence=competence, defaults={"transferred": transferred}
        )
    routing_rules_changed()


@transaction.atomic
def competence_override_set(
    *, commune: Collectivite, competence: Competence, holder: Collectivite | None
) -> None:
    """Say who holds a competence for one commune; None returns to the defaults."""
    if commune.kind != Collectivite.Kind.COMMUNE:
        raise ValidationError(_("Une exception se définit pour une commune."))
    if holder is None:
        CompetenceOverride.objects.filter(commune=commune, competence=competence).delete()
    else:
        allowed = {commune.pk, commune.epci_id, commune.departement_id, commune.region_id}
        if holder.pk not in allowed:
            raise ValidationError(
                _(
                    "Le titulaire doit être la commune, son intercommunalité, "
                    "son département ou sa région."
                )
            )
        CompetenceOverride.objects.update_or_create(
            commune=commune, competence=competence, defaults={"holder": holder}
        )
    routing_rules_changed()


@transaction.atomic
def competence_catalogue_sync() -> int:
    """Create or update the competences of the catalogue in code; return how many there are."""
    from socle.territoires.competences import CATALOGUE

    for code, nom, level, epci_types, description in CATALOGUE:
        Competence.objects.update_or_create(
            code=code,
            defaults={
                "nom": nom,
                "default_level": level,
                "epci_types": epci_types,
                "description": description,
            },
        )
    RoutingVersion.objects.get_or_create(pk=1)
    routing_rules_changed()
    return len(CATALOGUE)
