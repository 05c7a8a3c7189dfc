"""Every back-office endpoint of a member refuses an agent of another commune, for GET and POST.

The URL patterns are enumerated, not listed by hand: an endpoint added later is covered too.
"""

import pytest
from django.urls import get_resolver

from socle.comptes.models import Invitation, PersonalDataAccess, Role
from socle.comptes.services import invitation_create
from socle.territoires.models import Membre, Service

NAMESPACES = ("gestion", "journal")


def _member_patterns():
    """Yield (namespace:name, route) for every pattern that takes a member's slug."""
    resolver = get_resolver()
    for namespace in NAMESPACES:
        sub = resolver.namespace_dict[namespace][1]
        for pattern in sub.url_patterns:
            route = str(pattern.pattern)
            if "<slug:slug>" in route:
                yield f"{namespace}:{pattern.name}", route


PATTERNS = sorted(_member_patterns())


def test_it_knows_the_member_endpoints_it_checks():
    names = {name for name, _ in PATTERNS}
    assert {"gestion:membre", "gestion:service_modifier", "journal:usagers"} <= names
    assert len(PATTERNS) >= 12


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_it_refuses_an_agent_of_another_commune(name, route, client, demo_members):
    pessac = demo_members.pessac
    invitation, _ = invitation_create(
        email="nouvel.agent@pessac.example.fr",
        kind=Role.Kind.AGENT,
        membre=pessac,
        invited_by=demo_members.admin_pessac,
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
    assert "<" not in path, path

    before = (
        Service.objects.count(),
        Role.objects.filter(ended_at__isnull=True).count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        PersonalDataAccess.objects.count(),
        Membre.objects.get(pk=pessac.pk).couleur,
    )
    client.force_login(demo_members.agent_bordeaux)
    statuses = {
        "GET": client.get(path).status_code,
        "POST": client.post(path, {"nom": "X", "purpose": "X", "couleur": "#000000"}).status_code,
    }
    # Refused (403), unknown to them (404), or not a method of that endpoint (405): never served.
    assert all(status in {403, 404, 405} for status in statuses.values()), (path, statuses)
    assert 403 in statuses.values(), (path, statuses)
    after = (
        Service.objects.count(),
        Role.objects.filter(ended_at__isnull=True).count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        PersonalDataAccess.objects.count(),
        Membre.objects.get(pk=pessac.pk).couleur,
    )
    assert after == before
