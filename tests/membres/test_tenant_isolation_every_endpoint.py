"""Every back-office endpoint of a member refuses an agent of another commune, for GET and POST.

The URL patterns are enumerated, not listed by hand: an endpoint added later is covered too.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver

from socle.journal.models import PersonalDataAccess
from socle.membres.models import AuditEvent, Invitation, Membre, Role, Service
from socle.membres.services import invitation_create


def _walk(patterns, prefix="", namespace=""):
    """Yield (namespace:name, full route) for every URL pattern, however deeply included."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern.url_patterns, route, inner)
        else:
            yield f"{namespace}:{pattern.name}", route


def _member_patterns():
    """Yield every back-office pattern that takes a member's slug: the platform's and every
    module's, as the URL configuration (fed by the module registry) mounts them."""
    for name, route in _walk(get_resolver().url_patterns):
        if route.startswith("gestion/") and "<slug:slug>" in route:
            yield name, route[len("gestion/") :]


PATTERNS = sorted(_member_patterns())


def test_it_knows_the_member_endpoints_it_checks():
    names = {name for name, _ in PATTERNS}
    assert {
        "gestion:membre",
        "gestion:service_modifier",
        "gestion:historique",
        "gestion:routage:competences",
        "journal:usagers",
        # The toy module of tests/toy_module, covered without being named anywhere else.
        "gestion:jardins:parcelles",
        "gestion:jardins:parcelle",
    } <= names
    assert len(PATTERNS) >= 12


def _tenant_state(pessac):
    """What a refused request must leave as it was."""
    return (
        Service.objects.count(),
        Role.objects.filter(ended_at__isnull=True).count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        PersonalDataAccess.objects.count(),
        Membre.objects.get(pk=pessac.pk).couleur,
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_it_refuses_an_agent_of_another_commune(name, route, client, demo_members):
    pessac = demo_members.pessac
    invitation, _ = invitation_create(
        email="nouvel.agent@pessac.example.fr",
        kind=Role.Kind.AGENT,
        membre=pessac,
        acting_user=demo_members.admin_pessac,
    )
    # Real rows of Pessac, so that only the permission check can refuse.
    ids = {
        "services": Service.objects.filter(membre=pessac).first().pk,
        "roles": Role.objects.filter(membre=pessac, ended_at__isnull=True).first().pk,
        "invitations": invitation.pk,
    }
    path = "/gestion/" + route.replace("<slug:slug>", pessac.slug)
    for segment, pk in ids.items():
        path = path.replace(f"{segment}/<int:pk>", f"{segment}/{pk}")
    path = path.replace("<str:token>", "jeton")
    # A module's own rows: any id will do, the member's permission is checked before the row.
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:str|slug):\w+>", "x", path)
    assert "<" not in path, path

    before = _tenant_state(pessac)
    client.force_login(demo_members.agent_bordeaux)
    statuses = {
        "GET": client.get(path).status_code,
        "POST": client.post(path, {"nom": "X", "purpose": "X", "couleur": "#000000"}).status_code,
    }
    # Refused (403), unknown to them (404), or not a method of that endpoint (405): never served.
    assert all(status in {403, 404, 405} for status in statuses.values()), (path, statuses)
    assert 403 in statuses.values(), (path, statuses)
    after = _tenant_state(pessac)
    assert after == before
