"""Routing follows rule changes once RoutingVersion.rules says they happened."""

import pytest
from django.db.models import F

from socle.routage import routing
from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
    RoutingVersion,
)
from socle.territoires.services import competence_override_write, competence_transfer_write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

SAINT_EMILION = (44.8945, -0.1557)
PESSAC = (44.8067, -0.6311)


def bump_rules() -> None:
    RoutingVersion.objects.filter(pk=1).update(rules=F("rules") + 1)


def test_it_sees_an_override_once_the_rules_version_moves(gironde):
    commune = Collectivite.objects.get(kind="commune", code="33394")
    eclairage = Competence.objects.get(code="eclairage-public")
    assert routing.route(*SAINT_EMILION, "eclairage-public").holder.kind == "commune"

    # Written behind the services' back: the tables in memory do not know yet.
    CompetenceOverride.objects.create(commune=commune, competence=eclairage, holder=commune.epci)
    assert routing.route(*SAINT_EMILION, "eclairage-public").holder.kind == "commune"

    bump_rules()
    result = routing.route(*SAINT_EMILION, "eclairage-public")
    assert (result.holder.code, result.reason) == (commune.epci.code, "override")


def test_it_sees_transfers_made_through_the_services(gironde):
    metropole = Collectivite.objects.get(kind="epci", nom="Bordeaux Métropole")
    voirie = Competence.objects.get(code="voirie")
    assert routing.route(*PESSAC, "voirie").reason == "loi"

    competence_transfer_write(epci=metropole, competence=voirie, transferred=False)
    result = routing.route(*PESSAC, "voirie")
    assert (result.holder.code, result.reason) == ("33318", "transfert")

    competence_transfer_write(epci=metropole, competence=voirie, transferred=None)
    assert routing.route(*PESSAC, "voirie").reason == "loi"

    pessac = Collectivite.objects.get(kind="commune", code="33318")
    competence_override_write(commune=pessac, competence=voirie, holder=pessac.departement)
    result = routing.route(*PESSAC, "voirie")
    assert (result.holder.kind, result.reason) == ("departement", "override")
    assert result.contact.point_entree is True


def test_it_checks_the_versions_at_most_every_few_seconds_outside_transactions(
    gironde, settings, monkeypatch
):
    # As in production: tables built outside any transaction, a check every 30 s.
    monkeypatch.setattr(routing.state, "_transaction_marker", lambda: None)
    settings.ROUTING_VERSION_CHECK_SECONDS = 30
    clock = [1000.0]
    monkeypatch.setattr(routing.cache.time, "monotonic", lambda: clock[0])
    metropole = Collectivite.objects.get(kind="epci", nom="Bordeaux Métropole")
    voirie = Competence.objects.get(code="voirie")
    assert routing.route(*PESSAC, "voirie").reason == "loi"

    CompetenceTransfer.objects.create(epci=metropole, competence=voirie, transferred=False)
    bump_rules()
    assert routing.route(*PESSAC, "voirie").reason == "loi"  # not checked yet
    assert routing.get_router(refresh=True).route(*PESSAC, "voirie").reason == "transfert"

    CompetenceTransfer.objects.filter(epci=metropole, competence=voirie).delete()
    bump_rules()
    clock[0] += 31
    assert routing.route(*PESSAC, "voirie").reason == "loi"


def test_it_forgets_tables_built_in_a_transaction_that_rolled_back(gironde, monkeypatch):
    router = routing.get_router()
    assert router.rules.marker is not None  # pytest-django runs each test in a transaction
    # Another transaction (the next test, say) with the same version numbers.
    monkeypatch.setattr(routing.state, "_transaction_marker", lambda: object())
    assert routing.get_router() is not router


def test_it_rebuilds_the_index_when_the_territory_version_moves(gironde):
    router = routing.get_router()
    assert routing.get_router(refresh=True).territory is router.territory
    bump_rules()
    assert routing.get_router(refresh=True).territory is router.territory
    RoutingVersion.objects.filter(pk=1).update(territory=F("territory") + 1)
    assert routing.get_router(refresh=True).territory is not router.territory


def test_it_forgets_everything_after_a_flush_or_a_migration(gironde):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    router = routing.get_router()
    config = apps.get_app_config("territoires")
    post_migrate.send(
        sender=config, app_config=config, verbosity=0, interactive=False, using="default"
    )
    assert routing.cache._router is None
    assert routing.get_router() is not router
