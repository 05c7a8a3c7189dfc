"""Every back-office endpoint of one report refuses an agent of another service of the same
member: the URL patterns are enumerated, so an endpoint added later is covered too."""

import io

import pytest
from django.urls import URLResolver, get_resolver

from socle.journal.models import PersonalDataAccess
from socle.membres.models import AuditEvent
from socle.signalements.models import Abonnement, Evenement, Photo, Signalement
from socle.signalements.services import photos_process, signalement_create
from socle.signalements.views_gestion import ACTIONS
from tests.helpers.open311 import jpeg
from tests.signalements.conftest import PESSAC


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern.url_patterns, route, inner)
        else:
            yield f"{namespace}:{pattern.name}", route


def _report_routes():
    """Each report endpoint of the back office, with every action spelt out."""
    for name, route in _walk(get_resolver().url_patterns):
        if not name.startswith("gestion:signalements:") or "<str:reference>" not in route:
            continue
        if "<slug:action>" in route:
            for action in ACTIONS:
                yield f"{name}[{action}]", route.replace("<slug:action>", action)
        else:
            yield name, route


ROUTES = sorted(_report_routes())


def test_it_knows_the_report_endpoints_it_checks():
    names = {name for name, _ in ROUTES}
    assert {
        "gestion:signalements:detail",
        "gestion:signalements:coordonnees",
        "gestion:signalements:action[statut]",
        "gestion:signalements:action[relancer]",
    } <= names


def _state():
    return (
        list(Signalement.objects.values_list("statut", "priorite", "service_id", "masque_le")),
        Evenement.objects.count(),
        Abonnement.objects.count(),
        Photo.objects.filter(masque_le__isnull=False).count(),
        PersonalDataAccess.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _ in ROUTES])
def test_it_refuses_an_agent_of_another_service(
    name, route, client, demo_members, citizen, agent_voirie_nord
):
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
        photos=photos_process([io.BytesIO(jpeg())]),
    )
    assert report.service.nom == "Pôle territorial Sud — voirie"
    path = "/" + route.replace("<slug:slug>", "bordeaux-metropole").replace(
        "<str:reference>", report.reference
    )
    assert "<" not in path, path
    before = _state()
    client.force_login(agent_voirie_nord)
    payload = {
        "statut": "resolu",
        "texte": "Fait.",
        "motif": "Essai",
        "priorite": "3",
        "photo": str(report.photos.get().pk),
        "envoi": str(report.envois.first().pk),
        "description": "Autre texte.",
        "lat": "44.8",
        "long": "-0.6",
        "lon": "-0.6",
    }
    statuses = {"GET": client.get(path).status_code, "POST": client.post(path, payload).status_code}
    # Not his service's report: unknown to him (404), or not a method there (405).
    assert all(status in {404, 405} for status in statuses.values()), (path, statuses)
    assert 404 in statuses.values(), (path, statuses)
    assert _state() == before
