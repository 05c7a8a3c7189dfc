"""The background task that publishes a version on data.gouv.fr, never twice at once, retried.

As the outbox does (socle/core/outbox.py): any number of workers may run the task and the same
publication may be queued more than once (`datagouv_sweep` queues again those whose task was
lost); the task first claims the publication with one conditional UPDATE that sets its lease
(`reserve_jusqu_a`), which then serves as the claim's token. A worker killed mid-publication
leaves a lease that expires after DATAGOUV_LEASE_SECONDS; the publication is then taken again.

What was done on data.gouv.fr is stored as soon as it is done (the dataset's id on the Jeu, then
its resource's id), each creation under the Jeu's row lock: a retry, or a second worker, updates
the dataset and replaces the resource's file instead of creating them again.

A network error or a 5xx is retried with an exponential backoff (2, 4, 8… minutes), up to
DATAGOUV_MAX_ATTEMPTS attempts; a refused key or request (4xx) is given up at once, with a French
message for the administrator, who can « Relancer » it once fixed (`datagouv_retry`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from socle.core.tasks import task_enqueue as core_task_enqueue
from socle.opendata.datagouv import (
    DataGouvClient,
    DataGouvErreur,
    cle_dechiffrer,
    dataset_payload,
    resource_filename,
    resource_payload,
)
from socle.opendata.models import CompteDataGouv, Jeu, PublicationDataGouv

logger = logging.getLogger(__name__)
E = PublicationDataGouv.Etat


def task_enqueue(publication_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the publication task; it is written in the current transaction when possible."""
    core_task_enqueue(datagouv_publish, publication_id, run_after=run_after)


def publication_claim(publication_id: int) -> datetime | None:
    """Take the publication for this worker, atomically; return the lease (the claim's token),
    or None when it is not to be published by us now."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.DATAGOUV_LEASE_SECONDS)
    claimed = (
        PublicationDataGouv.objects.filter(pk=publication_id, etat__in=[E.EN_ATTENTE, E.ECHEC])
        .filter(Q(reserve_jusqu_a__isnull=True) | Q(reserve_jusqu_a__lt=now))
        # A duplicate task does not skip the retry's delay.
        .filter(prochain_essai__lte=now)
        .update(reserve_jusqu_a=lease)
    )
    return lease if claimed else None


def _dataset_id(jeu: Jeu, client: DataGouvClient, organisation: str) -> str:
    """The dataset's id on data.gouv.fr: created the first time (under the Jeu's lock, stored at
    once), its metadata updated after."""
    if not jeu.datagouv_id:
        with transaction.atomic():
            locked = Jeu.objects.select_for_update().get(pk=jeu.pk)
            if not locked.datagouv_id:
                payload = {**dataset_payload(jeu), "organization": {"id": organisation}}
                locked.datagouv_id = client.dataset_create(payload)
                locked.save(update_fields=["datagouv_id"])
                jeu.datagouv_id = locked.datagouv_id
                return jeu.datagouv_id
            jeu.datagouv_id = locked.datagouv_id
            jeu.datagouv_resource_id = locked.datagouv_resource_id
    client.dataset_update(jeu.datagouv_id, dataset_payload(jeu))
    return jeu.datagouv_id


def _resource_id(jeu: Jeu, client: DataGouvClient, content: bytes) -> str:
    """Upload the file: a new resource the first time (stored at once), its file replaced after.

    Before a first upload, the dataset's resources are read: a worker killed during an upload
    that data.gouv.fr completed left a resource we never learned the id of; it is taken over
    (its file replaced) rather than doubled.
    """
    name = resource_filename(jeu)
    if not jeu.datagouv_resource_id:
        with transaction.atomic():
            locked = Jeu.objects.select_for_update().get(pk=jeu.pk)
            if not locked.datagouv_resource_id:
                found = client.resource_find(jeu.datagouv_id, name)
                if found is None:
                    locked.datagouv_resource_id = client.resource_upload(
                        jeu.datagouv_id, name, content
                    )
                    locked.save(update_fields=["datagouv_resource_id"])
                    jeu.datagouv_resource_id = locked.datagouv_resource_id
                    return jeu.datagouv_resource_id
                locked.datagouv_resource_id = found
                locked.save(update_fields=["datagouv_resource_id"])
            jeu.datagouv_resource_id = locked.datagouv_resource_id
    client.resource_file_replace(jeu.datagouv_id, jeu.datagouv_resource_id, name, content)
    return jeu.datagouv_resource_id


def _publish(publication: PublicationDataGouv) -> None:
    """Create or update the dataset, upload or replace its file, declare its schema."""
    version = publication.version
    jeu = Jeu.objects.select_related("membre__collectivite").get(pk=version.jeu_id)
    compte = (
        CompteDataGouv.objects.filter(membre_id=jeu.membre_id).first()
        if jeu.membre_id is not None
        else None
    )
    if compte is None or not compte.actif:
        raise DataGouvErreur(
            _(
                "Aucun compte data.gouv.fr actif pour la collectivité : enregistrez "
                "l’organisation et la clé d’API, puis relancez la publication."
            ),
            retry=False,
        )
    cle = cle_dechiffrer(compte)
    if cle is None:
        raise DataGouvErreur(
            _(
                "La clé d’API enregistrée ne peut plus être lue (la clé de chiffrement de la "
                "plateforme a changé) : saisissez-la à nouveau, puis relancez la publication."
            ),
            retry=False,
        )
    newer = PublicationDataGouv.objects.filter(
        version__jeu_id=jeu.pk, version__numero__gt=version.numero, etat=E.PUBLIE
    ).exists()
    if newer:
        raise DataGouvErreur(
            _(
                "Une version plus récente est déjà publiée sur data.gouv.fr : celle-ci n’y est "
                "donc pas publiée."
            ),
            retry=False,
        )
    with version.fichier.open("rb") as handle:
        content = handle.read()
    client = DataGouvClient(api_key=cle)
    dataset_id = _dataset_id(jeu, client, compte.organisation)
    resource_id = _resource_id(jeu, client, content)
    client.resource_update(dataset_id, resource_id, resource_payload(version))


def _failed(publication: PublicationDataGouv, lease: datetime, error: DataGouvErreur) -> str:
    attempts = publication.tentatives + 1
    now = timezone.now()
    fields: dict = {"tentatives": attempts, "reserve_jusqu_a": None}
    retry_at = None
    if not error.retry:
        fields.update(etat=E.ABANDON, derniere_erreur=error.message)
    elif attempts >= settings.DATAGOUV_MAX_ATTEMPTS:
        message = _("Abandon après %(n)s essais. Dernière erreur : %(erreur)s") % {
            "n": attempts,
            "erreur": error.message,
        }
        fields.update(etat=E.ABANDON, derniere_erreur=message)
    else:
        retry_at = now + timedelta(minutes=2**attempts)
        message = _("%(erreur)s Nouvel essai prévu.") % {"erreur": error.message}
        fields.update(etat=E.ECHEC, derniere_erreur=message, prochain_essai=retry_at)
    with transaction.atomic():
        updated = PublicationDataGouv.objects.filter(
            pk=publication.pk, reserve_jusqu_a=lease
        ).update(**fields)
        if updated and retry_at is not None:
            task_enqueue(publication.pk, run_after=retry_at)
    logger.warning(
        "data.gouv.fr publication %s failed (attempt %s): %s", publication.pk, attempts, error
    )
    return "failed" if retry_at is not None else "abandoned"


@task()
def datagouv_publish(publication_id: int) -> str:
    """Publish one version on data.gouv.fr, at most one worker at a time; retry when it fails."""
    lease = publication_claim(publication_id)
    if lease is None:
        return "skipped"
    publication = PublicationDataGouv.objects.select_related("version").get(pk=publication_id)
    try:
        _publish(publication)
    except DataGouvErreur as error:
        return _failed(publication, lease, error)
    except Exception as exc:  # noqa: BLE001 - anything unexpected is retried later
        logger.exception("data.gouv.fr publication %s: unexpected error", publication_id)
        message = _("Erreur inattendue de la plateforme (%(type)s).") % {"type": type(exc).__name__}
        return _failed(publication, lease, DataGouvErreur(message, retry=True))
    PublicationDataGouv.objects.filter(pk=publication_id, reserve_jusqu_a=lease).update(
        etat=E.PUBLIE,
        tentatives=F("tentatives") + 1,
        publie_le=timezone.now(),
        derniere_erreur="",
        reserve_jusqu_a=None,
    )
    return "published"
