"""Background work of the démarches: completing filings, generating receipts and attestations.

`depot.dossier_file` queues `dossier_filing_complete_run` in the filing's transaction; a lost
or failed one is queued again by the schedule's sweep (`depot.filings_incomplete_queue`).

`document_request` (socle/demarches/documents.py) queues `document_generate_run` in the
transaction that files or decides the dossier; a failure is retried later with a growing delay,
and `socle demarches documents --generer-manquants` queues again what is still missing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from socle.core.tasks import task_enqueue
from socle.demarches.depot import dossier_filing_complete
from socle.demarches.documents import document_generate
from socle.demarches.models import Document

logger = logging.getLogger(__name__)

# Attempts before giving up (the sweep command queues it again): 2, 4, 8, 16 minutes apart.
MAX_ATTEMPTS = 5


@task()
def document_generate_run(document_id: int, attempt: int = 1) -> str:
    """Generate one document (once: a generated one is left alone); on failure, queue a
    later attempt and fail this one (its error kept by the task backend)."""
    try:
        # document_generate reads the row again under a lock: the pk is all it needs.
        made = document_generate(Document(pk=document_id))
    except Document.DoesNotExist:
        return "missing"
    except Exception:
        if attempt < MAX_ATTEMPTS:
            retry_at = timezone.now() + timedelta(minutes=2**attempt)
            task_enqueue(document_generate_run, document_id, attempt + 1, run_after=retry_at)
        logger.exception("document %s: generation failed (attempt %s)", document_id, attempt)
        raise
    return "generated" if made else "skipped"


@task()
def dossier_filing_complete_run(dossier_id: int) -> str:
    """Make what a filing promised (receipt queued, mails, webhooks), once."""
    return "completed" if dossier_filing_complete(dossier_id=dossier_id) else "skipped"
