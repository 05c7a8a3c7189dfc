"""What accounts ask of the roles another app grants, without importing that app.

Roles belong to `socle.membres`, which sits above accounts. Accounts still need to know a few
things about them: whether a second factor is mandatory, whether someone holds any role at all
(idle timeout, ProConnect), whether they may reset someone's second factor, and which pending
invitations a ProConnect agent accepts. settings.SOCLE_ROLE_POLICY names the module that
answers (Django's own way with AUTHENTICATION_BACKENDS); without one, nobody holds a role.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.conf import settings


def _policy() -> ModuleType | None:
    path = getattr(settings, "SOCLE_ROLE_POLICY", "")
    return import_module(path) if path else None


def user_holds_role(user) -> bool:
    """Tell whether the user holds any active role (an agent, not only a citizen)."""
    policy = _policy()
    return bool(policy and policy.user_holds_role(user))


def user_requires_second_factor(user) -> bool:
    """Tell whether the user's roles make a second factor mandatory."""
    policy = _policy()
    return bool(policy and policy.user_requires_second_factor(user))


def user_may_reset_second_factors(user) -> bool:
    """Tell whether the user may remove someone else's second factor."""
    policy = _policy()
    return bool(policy and policy.user_may_reset_second_factors(user))


def agent_access_pending(*, user, email: str) -> bool:
    """Tell whether this address works for a member or is invited to (ProConnect's first login)."""
    policy = _policy()
    return bool(policy and policy.agent_access_pending(user=user, email=email))


def agent_access_accept(*, user, email: str) -> None:
    """Accept the pending invitations to this provider-verified address."""
    policy = _policy()
    if policy:
        policy.agent_access_accept(user=user, email=email)
