"""Scheduled work of the reports: the retention (`socle signalements schedule` enqueues it)."""

from django_tasks import task

from socle.signalements.services import signalements_retention_apply


@task()
def signalements_retention_run() -> dict[str, int]:
    """Apply the retention rules now (see signalements_retention_apply); return the counts."""
    return signalements_retention_apply()
