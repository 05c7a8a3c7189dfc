"""Reads of territorial and member data; tenant data always through an explicit member or user."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import Http404

from socle.comptes.models import Role
from socle.comptes.selectors import user_is_operateur, user_member_roles
from socle.territoires.models import Collectivite, Elu, Membre, Service, search_key

HOST_CACHE_SECONDS = 60


def membre_for_hostname(hostname: str) -> Membre | None:
    """Return the active member whose own host name this is, if any."""
    key = f"membre-host:{hostname}"
    membre_id = cache.get(key)
    if membre_id is None:
        membre_id = (
            Membre.objects.filter(hostname=hostname, active=True)
            .values_list("pk", flat=True)
            .first()
        ) or 0
        cache.set(key, membre_id, HOST_CACHE_SECONDS)
    if not membre_id:
        return None
    return Membre.objects.select_related("collectivite").filter(pk=membre_id).first()


def collectivite_search(query: str, *, limit: int = 20) -> QuerySet[Collectivite]:
    """Find active collectivités by name (accents and case ignored) or code, larger first."""
    query = query.strip()
    key = search_key(query)
    if not key:
        return Collectivite.objects.none()
    return (
        Collectivite.objects.filter(active=True)
        .filter(Q(nom_recherche__contains=key) | Q(code=query.upper()))
        .select_related("departement")
        .order_by("-population", "kind", "nom")[:limit]
    )


def membre_public(slug: str) -> Membre | None:
    """Return an active member by its public address."""
    return Membre.objects.select_related("collectivite").filter(slug=slug, active=True).first()


def membres_public() -> QuerySet[Membre]:
    """Return the active members, for public listings."""
    return Membre.objects.filter(active=True).select_related("collectivite")


def membres_of(collectivites) -> dict[int, Membre]:
    """Map the given collectivités' ids to their active membership, for those that are members."""
    ids = [collectivite.pk for collectivite in collectivites if collectivite is not None]
    return {
        membre.collectivite_id: membre
        for membre in membres_public().filter(collectivite_id__in=ids)
    }


def epci_communes(epci: Collectivite) -> QuerySet[Collectivite]:
    """Return the active member communes of an EPCI."""
    return Collectivite.objects.filter(epci=epci, kind=Collectivite.Kind.COMMUNE, active=True)


def get_membre_for_user(*, user, slug: str, manage: bool = False) -> Membre:
    """Return the member if the user may see (or, with manage, administer) its back office."""
    membre = Membre.objects.select_related("collectivite").filter(slug=slug).first()
    if membre is None:
        raise Http404
    if user_is_operateur(user):
        return membre
    roles = user_member_roles(user, membre)
    allowed = (
        {Role.Kind.ADMINISTRATEUR}
        if manage
        else {Role.Kind.ADMINISTRATEUR, Role.Kind.AGENT, Role.Kind.ELU, Role.Kind.DPO}
    )
    if not roles & allowed:
        raise PermissionDenied
    return membre


def get_service_for_user(*, user, membre: Membre, pk: int, manage: bool = False) -> Service:
    """Return a service of this member, checking the user's rights on the member."""
    get_membre_for_user(user=user, slug=membre.slug, manage=manage)
    service = Service.objects.filter(membre=membre, pk=pk).first()
    if service is None:
        raise Http404
    return service


def membre_services(*, membre: Membre) -> QuerySet[Service]:
    """Return a member's services with their competences."""
    return membre.services.prefetch_related("competences").order_by("nom")


def membres_for_user(*, user) -> QuerySet[Membre]:
    """Return the members whose back office the user may open."""
    qs = Membre.objects.select_related("collectivite")
    if user_is_operateur(user):
        return qs.order_by("collectivite__nom")
    member_ids = Role.objects.filter(user=user, ended_at__isnull=True, membre__isnull=False).values(
        "membre_id"
    )
    return qs.filter(pk__in=member_ids).order_by("collectivite__nom")


def commune_elus(*, commune: Collectivite) -> QuerySet[Elu]:
    """Return the maire and adjoints of a commune, maire first."""
    # The source gives the maire no rank: put it first explicitly (NULL order differs by database).
    rank = Case(
        When(fonction="Maire", then=Value(0)),
        When(fonction__startswith="Maire", then=Value(1)),
        default=Value(2),
    )
    return (
        Elu.objects.filter(commune=commune)
        .exclude(fonction="")
        .order_by(rank, F("ordre_fonction").asc(nulls_last=True), "nom", "prenom")
    )
