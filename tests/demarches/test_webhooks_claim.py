"""A delivery is claimed before it is sent: a second worker does not send it twice, and a lease
that expired (a killed worker) lets it be taken again, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.demarches.models import Livraison
from socle.demarches.tasks_webhooks import webhook_deliver
from socle.demarches.webhooks import (
    livraison_claim,
    livraison_deliver,
    livraisons_sweep,
    webhook_create,
    webhooks_notify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def livraison(demo_members, receiver, dossier_factory):
    webhook_create(acting_user=None, membre=demo_members.pessac, url=receiver.url, evenements=[])
    dossier = dossier_factory()
    [found] = webhooks_notify(dossier=dossier, evenement="dossier.depose")
    return found


def test_a_second_claim_does_not_send_twice(livraison, receiver):
    lease = livraison_claim(livraison.pk)
    assert lease is not None
    assert livraison_claim(livraison.pk) is None
    assert webhook_deliver.call(livraison.pk) == "skipped"
    assert receiver.received == []


def test_an_expired_lease_is_taken_again_and_the_first_worker_records_nothing(
    livraison,
    receiver,
):
    first = livraison_claim(livraison.pk)
    assert first is not None
    # The first worker died: its lease ran out; the sweep queues the delivery again.
    Livraison.objects.filter(pk=livraison.pk).update(
        prochain_essai=timezone.now() - timedelta(minutes=5)
    )
    assert livraisons_sweep() == 1
    assert livraison_deliver(livraison.pk) == "delivered"
    assert len(receiver.received) == 1
    livraison.refresh_from_db()
    assert livraison.tentatives == 1
    assert livraison_claim(livraison.pk) is None
