"""Reads of members, services, roles, invitations and the audit trail.

Access control lives here, one function per kind of object: `get_membre_for_user`,
`get_service_for_user`, `get_role_for_user`, `get_invitation_for_user`. Each takes the user and
the permission it needs (socle.membres.permissions); none fetches a row by a bare primary key.
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from socle.comptes.models import User
from socle.membres.models import AuditEvent, Invitation, Membre, Role, Service
from socle.membres.permissions import grants_for

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


def membre_by_slug(slug: str) -> Membre | None:
    """Return a member (active or not) by its slug, for commands run by the structure."""
    return Membre.objects.select_related("collectivite").filter(slug=slug).first()


def get_membre_for_user(*, user, slug: str, permission: str = "membre.voir") -> Membre:
    """Return the member if the user holds the permission there; 404 if unknown, else 403."""
    membre = membre_by_slug(slug)
    if membre is None:
        raise Http404
    if not grants_for(user).has(permission, membre):
        raise PermissionDenied
    return membre


def get_service_for_user(
    *, user, membre: Membre, pk: int, permission: str = "membre.voir"
) -> Service:
    """Return a service of this member if the user holds the permission on the member."""
    if not grants_for(user).has(permission, membre):
        raise PermissionDenied
    service = Service.objects.filter(membre=membre, pk=pk).first()
    if service is None:
        raise Http404
    return service


def get_role_for_user(*, user, membre: Membre, pk: int) -> Role:
    """Return a current role held in this member, if the user may manage its agents."""
    if not grants_for(user).has("agents.gerer", membre):
        raise PermissionDenied
    role = membre_roles(membre=membre).filter(pk=pk).first()
    if role is None:
        raise Http404
    return role


def get_invitation_for_user(*, user, membre: Membre, pk: int) -> Invitation:
    """Return a pending invitation of this member, if the user may manage its agents."""
    if not grants_for(user).has("agents.gerer", membre):
        raise PermissionDenied
    invitation = membre_pending_invitations(membre=membre).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def membre_services(*, membre: Membre) -> QuerySet[Service]:
    """Return a member's services with their competences."""
    return membre.services.prefetch_related("competences").order_by("nom")


def membres_for_user(*, user) -> QuerySet[Membre]:
    """Return the members whose back office the user may open."""
    qs = Membre.objects.select_related("collectivite").order_by("collectivite__nom")
    allowed = grants_for(user).membre_ids("membre.voir")
    return qs if allowed is None else qs.filter(pk__in=allowed)


def membres_with_permission(*, user, permission: str) -> QuerySet[Membre]:
    """Return the members where the user holds this permission through a role held there."""
    held = grants_for(user).members
    ids = [pk for pk, kinds in held.items() if grants_for(user).has(permission, pk)]
    return (
        Membre.objects.select_related("collectivite")
        .filter(pk__in=ids)
        .order_by("collectivite__nom")
    )


def active_roles(user) -> QuerySet[Role]:
    """Return the user's current roles."""
    return Role.objects.filter(user=user, ended_at__isnull=True).select_related(
        "membre__collectivite", "service"
    )


def membre_roles(*, membre: Membre) -> QuerySet[Role]:
    """Return the current roles held in a member."""
    return (
        Role.objects.filter(membre=membre, ended_at__isnull=True)
        .select_related("user", "service")
        .order_by("user__last_name", "user__email")
    )


def operateur_emails() -> list[str]:
    """Return the addresses of the structure's current opérateurs, to write to."""
    emails = Role.objects.filter(
        kind=Role.Kind.OPERATEUR, ended_at__isnull=True, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted(set(emails) - {""})


def administrator_emails(*, membres) -> list[str]:
    """Return the addresses of the current administrators of these members, to write to."""
    emails = Role.objects.filter(
        membre__in=membres, kind=Role.Kind.ADMINISTRATEUR, ended_at__isnull=True
    ).values_list("user__email", flat=True)
    return sorted(set(emails) - {""})


def invitations_pending() -> QuerySet[Invitation]:
    """Return the invitations that can still be accepted: not accepted, revoked nor expired."""
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def membre_pending_invitations(*, membre: Membre) -> QuerySet[Invitation]:
    """Return the invitations of a member that can still be accepted."""
    return invitations_pending().filter(membre=membre).select_related("service")


def membre_audit_events(*, membre: Membre) -> QuerySet[AuditEvent]:
    """Return a member's audit trail, newest first."""
    return AuditEvent.objects.filter(membre=membre).select_related("actor")


def membres_privacy_contacts(*, membre_ids) -> list[dict]:
    """Whom a citizen asks about his or her data, for each of these members, by name.

    Each entry: ``membre``, ``dpos`` (the holders of the member's DPO role: ``name``, ``email``)
    and, when it has no DPO, the member's public contact (``email``, ``telephone``, ``adresse``
    of the collectivité, from the Annuaire de l'administration).
    """
    membres = list(
        Membre.objects.select_related("collectivite")
        .filter(pk__in=set(membre_ids))
        .order_by("collectivite__nom")
    )
    dpos: dict[int, list[dict]] = {}
    roles = (
        Role.objects.filter(
            membre__in=membres, kind=Role.Kind.DPO, ended_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    for role in roles:
        if role.membre_id is not None:
            dpos.setdefault(role.membre_id, []).append(
                {"name": role.user.get_full_name(), "email": role.user.email}
            )
    return [
        {
            "membre": membre,
            "dpos": dpos.get(membre.pk, []),
            "email": membre.collectivite.email,
            "telephone": membre.collectivite.telephone,
            "adresse": membre.collectivite.adresse,
        }
        for membre in membres
    ]


def audit_events_count(*, actor, action: str, since) -> int:
    """Count the audit events of one action a person made since a moment (rate limits)."""
    return AuditEvent.objects.filter(actor=actor, action=action, created_at__gte=since).count()


def service_ids_for_user(*, user, membre: Membre) -> set[int] | None:
    """Return the services whose work (reports, dossiers…) the user handles in this member;
    None means all.

    An agent attached to services handles theirs; administrators, élus, opérateurs and agents
    without a service see the member's whole queue.
    """
    grants = grants_for(user)
    if grants.structure or grants.members.get(membre.pk, set()) - {Role.Kind.AGENT}:
        return None
    services = set(
        Role.objects.filter(
            user=user, membre=membre, kind=Role.Kind.AGENT, ended_at__isnull=True
        ).values_list("service_id", flat=True)
    )
    if None in services:
        return None
    return services


def agents_of(*, membre: Membre) -> list[User]:
    """Return the people working for the member (agents and administrators), by name: whom a
    report or a dossier may be given to."""
    users = User.objects.filter(
        roles__membre=membre,
        roles__ended_at__isnull=True,
        roles__kind__in=[Role.Kind.AGENT, Role.Kind.ADMINISTRATEUR],
    ).distinct()
    return sorted(users, key=lambda u: ((u.get_full_name() or u.email).lower(), u.pk))


def agent_of(*, membre: Membre, pk) -> User | None:
    """Return one of the member's agents by id (None when the id is not one of them)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((user for user in agents_of(membre=membre) if user.pk == pk), None)
