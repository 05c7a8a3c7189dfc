"""A generation that fails leaves no half-made document and is tried again later."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socle.demarches.documents import document_request
from socle.demarches.models import Document, Evenement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_env")]


def test_it_queues_a_later_attempt_when_signing_fails(dossier, run_tasks, settings, tmp_path):
    settings.DEMARCHES_SIGNING_KEY_FILE = str(tmp_path / "absente.pem")
    document = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)

    assert run_tasks() == 1
    document.refresh_from_db()
    assert document.fichier is None and not document.sha256
    assert not dossier.evenements.filter(kind=Evenement.Kind.DOCUMENT).exists()
    failed, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert failed.status == "FAILED"
    assert retry.args_kwargs["args"] == [document.pk, 2]
    assert retry.run_after > timezone.now()
