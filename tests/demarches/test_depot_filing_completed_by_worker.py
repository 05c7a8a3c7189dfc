"""What filing promises after its commit (receipt, mails, webhooks) is made by the worker, once,
and a completion lost on the way is queued again by the schedule."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from socle.core.models import OutboxMessage
from socle.demarches import depot
from socle.demarches.models import Document, Dossier, Envoi, Livraison
from socle.demarches.webhooks import webhook_create
from tests.conftest import run_tasks
from tests.helpers.concurrency import at_once

SCHEMA = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [{"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True}],
        }
    ]
}


@pytest.fixture
def filed(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="etat-civil")
    draft = depot.dossier_start(usager=citizen, demarche=demarche)
    Dossier.objects.filter(pk=draft.pk).update(donnees={"nom": "Martin"})
    return depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())


def _made(dossier):
    return (
        Document.objects.filter(dossier=dossier, kind="recepisse").count(),
        Envoi.objects.filter(dossier=dossier).count(),
        Livraison.objects.filter(dossier=dossier).count(),
    )


def test_it_completes_a_filing_once_however_often_it_runs(filed, citizen):
    assert _made(filed) == (0, 0, 0)
    assert depot.dossier_filing_complete(dossier_id=filed.pk) is True
    made = _made(filed)
    assert made[0] == 1 and made[1] == 2  # the receipt; the citizen's and the service's mails
    # The task queued by the filing, then a sweep's copy: nothing more.
    run_tasks()
    assert depot.dossier_filing_complete(dossier_id=filed.pk) is False
    assert _made(filed) == made
    mail = Envoi.objects.get(dossier=filed, destinataire=Envoi.Destinataire.USAGER)
    assert OutboxMessage.objects.get(pk=mail.message_id).payload["to"] == [citizen.email]


def test_it_dates_the_filing_webhook_at_the_filing_with_its_status(
    demo_members, demarche_factory, citizen, receiver
):
    webhook_create(
        acting_user=None,
        membre=demo_members.pessac,
        url=receiver.url,
        evenements=["dossier.depose"],
    )
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="etat-civil")
    draft = depot.dossier_start(usager=citizen, demarche=demarche)
    Dossier.objects.filter(pk=draft.pk).update(donnees={"nom": "Martin"})
    filed = depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())
    # The worker comes late: an agent has already started the instruction.
    Dossier.objects.filter(pk=filed.pk).update(
        depose_le=filed.depose_le - timedelta(minutes=3), statut="en_instruction"
    )
    filed.refresh_from_db()
    depot.dossier_filing_complete(dossier_id=filed.pk)
    delivery = Livraison.objects.get(dossier=filed)
    assert delivery.evenement == "dossier.depose"
    assert delivery.payload["date"] == filed.depose_le.isoformat(timespec="seconds")
    assert delivery.payload["dossier"]["statut"] == "depose"


def test_it_queues_again_a_filing_left_incomplete(filed):
    from django_tasks_db.models import DBTaskResult

    # The filing's own task is lost (a worker's database wiped, a failure for good).
    DBTaskResult.objects.all().delete()
    # Recent: its task may still be on its way, the sweep leaves it.
    assert depot.filings_incomplete_queue() == 0
    Dossier.objects.filter(pk=filed.pk).update(depose_le=timezone.now() - timedelta(minutes=6))
    call_command("demarches", "schedule")
    run_tasks()
    filed.refresh_from_db()
    assert filed.depot_traite_le is not None
    assert _made(filed)[:2] == (1, 2)
    assert depot.filings_incomplete_queue() == 0


@pytest.mark.django_db(transaction=True)
def test_it_completes_once_when_two_workers_take_it_at_once(
    gironde_transactional, demarche_factory
):
    # PostgreSQL: the row lock then the re-read of depot_traite_le; SQLite: one at a time.
    from socle.demo.setup import setup_members
    from tests.helpers.personas import persona

    pessac = setup_members().members["pessac"]
    citizen = persona("dominique.deux-workers@example.fr")
    demarche = demarche_factory(pessac, SCHEMA, competence="etat-civil")
    draft = depot.dossier_start(usager=citizen, demarche=demarche)
    Dossier.objects.filter(pk=draft.pk).update(donnees={"nom": "Martin"})
    filed = depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())
    results, failures = at_once(*[lambda: depot.dossier_filing_complete(dossier_id=filed.pk)] * 2)
    assert failures == [] and sorted(results) == [False, True]
    assert _made(filed)[:2] == (1, 2)
