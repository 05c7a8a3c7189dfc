"""Reads on accounts and the single place where roles become permissions."""

from django.db.models import QuerySet

from socle.comptes.models import Invitation, Role, User


def active_roles(user: User) -> QuerySet[Role]:
    """Return the user's current roles."""
    return Role.objects.filter(user=user, ended_at__isnull=True).select_related(
        "membre__collectivite", "service"
    )


def user_is_operateur(user: User) -> bool:
    """Tell whether the user works for the mutualisation structure."""
    if not user.is_authenticated:
        return False
    return active_roles(user).filter(kind=Role.Kind.OPERATEUR).exists()


def user_member_roles(user: User, membre) -> set[str]:
    """Return the kinds of role the user holds in this member."""
    if not user.is_authenticated:
        return set()
    return set(active_roles(user).filter(membre=membre).values_list("kind", flat=True))


def membre_roles(*, membre) -> QuerySet[Role]:
    """Return the current roles held in a member."""
    return (
        Role.objects.filter(membre=membre, ended_at__isnull=True)
        .select_related("user", "service")
        .order_by("user__last_name", "user__email")
    )


def membre_pending_invitations(*, membre) -> QuerySet[Invitation]:
    """Return the invitations of a member not yet accepted nor revoked."""
    return Invitation.objects.filter(
        membre=membre, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("service")
