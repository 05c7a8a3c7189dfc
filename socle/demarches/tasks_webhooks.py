"""The webhooks' background task: one delivery attempt (socle/demarches/webhooks.py)."""

from django_tasks import task

from socle.demarches.webhooks import livraison_deliver


@task()
def webhook_deliver(livraison_id: int) -> str:
    """Send one webhook delivery unless another worker has it; retry later when it fails."""
    return livraison_deliver(livraison_id)
