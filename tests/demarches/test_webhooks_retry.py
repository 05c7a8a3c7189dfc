"""A refused delivery is retried with a growing delay, every attempt recorded, the same uid each
time; after 8 attempts it is abandoned, and can be given a new series."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socle.demarches.models import Livraison
from socle.demarches.tasks_webhooks import webhook_deliver
from socle.demarches.webhooks import (
    MAX_ATTEMPTS,
    livraison_retry,
    retry_delay,
    webhook_create,
    webhooks_notify,
)

pytestmark = pytest.mark.django_db


def _due_now(livraison):
    Livraison.objects.filter(pk=livraison.pk).update(prochain_essai=timezone.now())


@pytest.fixture
def livraison(demo_members, receiver, dossier_factory):
    webhook_create(acting_user=None, membre=demo_members.pessac, url=receiver.url, evenements=[])
    dossier = dossier_factory()
    [found] = webhooks_notify(dossier=dossier, evenement="dossier.statut")
    return found


def test_a_500_then_200_is_retried_and_delivered(livraison, receiver):
    receiver.statuses = [500, 200]
    queued = DBTaskResult.objects.count()

    assert webhook_deliver.call(livraison.pk) == "retry"
    livraison.refresh_from_db()
    assert (livraison.etat, livraison.tentatives, livraison.derniere_reponse) == (
        Livraison.Etat.EN_ATTENTE,
        1,
        500,
    )
    wait = livraison.prochain_essai - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    assert DBTaskResult.objects.count() == queued + 1  # the retry, due in a minute
    # Not due yet: a duplicate task sends nothing.
    assert webhook_deliver.call(livraison.pk) == "skipped"

    _due_now(livraison)
    assert webhook_deliver.call(livraison.pk) == "delivered"
    livraison.refresh_from_db()
    assert livraison.etat == Livraison.Etat.LIVREE
    assert [essai["reponse"] for essai in livraison.essais] == [500, 200]
    assert livraison.essais[0]["erreur"].startswith("HTTP 500 : ")
    uids = {headers["X-Socle-Livraison"] for headers, _body in receiver.received}
    assert uids == {livraison.uid}


def test_the_delays_grow():
    assert [retry_delay(n) for n in range(1, 8)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
        timedelta(hours=24),
        timedelta(hours=24),
    ]


def test_it_is_abandoned_after_max_attempts_and_can_be_retried(
    livraison,
    receiver,
    demo_members,
):
    receiver.statuses = [503]
    outcomes = []
    for _attempt in range(MAX_ATTEMPTS):
        outcomes.append(webhook_deliver.call(livraison.pk))
        _due_now(livraison)
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["abandoned"]
    livraison.refresh_from_db()
    assert livraison.etat == Livraison.Etat.ECHEC
    assert livraison.get_etat_display() == "Abandonnée"
    assert len(livraison.essais) == MAX_ATTEMPTS == len(receiver.received)
    assert webhook_deliver.call(livraison.pk) == "skipped"

    receiver.statuses = [200]
    receiver.received.clear()
    livraison_retry(acting_user=demo_members.admin_pessac, livraison=livraison)
    assert webhook_deliver.call(livraison.pk) == "delivered"
    livraison.refresh_from_db()
    assert livraison.etat == Livraison.Etat.LIVREE
    assert len(livraison.essais) == MAX_ATTEMPTS + 1


def test_an_unreachable_address_is_an_attempt_with_its_error(livraison, receiver):
    receiver.close()
    assert webhook_deliver.call(livraison.pk) == "retry"
    livraison.refresh_from_db()
    assert livraison.derniere_reponse is None
    assert livraison.essais[0]["erreur"]
