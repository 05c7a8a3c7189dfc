"""Answers to socle.comptes.roles: what accounts need to know of members' roles.

Named by settings.SOCLE_ROLE_POLICY.
"""

from socle.membres.models import Role
from socle.membres.permissions import grants_for
from socle.membres.selectors import invitations_pending
from socle.membres.services import invitations_accept_for_agent

# Roles whose holders must log in with a second factor.
SECOND_FACTOR_ROLES = frozenset(
    {Role.Kind.OPERATEUR, Role.Kind.ADMINISTRATEUR, Role.Kind.DPO, Role.Kind.ETHIQUE}
)


def user_holds_role(user) -> bool:
    return grants_for(user).holds_any_role


def user_requires_second_factor(user) -> bool:
    # Read afresh: a role granted elsewhere since this user object was loaded counts now.
    return Role.objects.filter(
        user=user, ended_at__isnull=True, kind__in=SECOND_FACTOR_ROLES
    ).exists()


def user_may_reset_second_factors(user) -> bool:
    return grants_for(user).has("second_facteur.reinitialiser")


def agent_access_pending(*, user, email: str) -> bool:
    if user is not None and Role.objects.filter(user=user, ended_at__isnull=True).exists():
        return True
    return invitations_pending().filter(email__iexact=email).exists()


def agent_access_accept(*, user, email: str) -> None:
    invitations_accept_for_agent(user=user, email=email)
