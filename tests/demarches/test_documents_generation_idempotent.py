"""A document is requested and generated once, however often it is asked for."""

import pytest
from django_tasks_db.models import DBTaskResult

from socle.demarches.documents import document_generate, document_request, documents_missing_queue
from socle.demarches.models import Document, Evenement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_env")]


def test_it_generates_a_document_once(dossier, run_tasks):
    first = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)
    again = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)
    assert again.pk == first.pk
    assert DBTaskResult.objects.count() == 1

    assert document_generate(first)
    first.refresh_from_db()
    fichier, sha256 = first.fichier_id, first.sha256

    assert not document_generate(first)
    assert documents_missing_queue() == 0
    run_tasks()  # the queued task finds it made
    first.refresh_from_db()
    assert (first.fichier_id, first.sha256) == (fichier, sha256)
    assert dossier.evenements.filter(kind=Evenement.Kind.DOCUMENT).count() == 1


def test_it_queues_again_the_documents_left_without_a_file(dossier, run_tasks):
    document = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)
    DBTaskResult.objects.all().delete()  # the task was lost

    assert documents_missing_queue() == 1
    assert run_tasks() == 1
    document.refresh_from_db()
    assert document.fichier is not None
