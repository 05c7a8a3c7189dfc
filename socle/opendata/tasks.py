"""Background work of open data: the generated datasets, kept up to date
(`socle opendata_generer --loop` enqueues it every day)."""

from django_tasks import task

from socle.membres.models import Membre
from socle.opendata.services import opendata_generate, opendata_generate_all


@task()
def opendata_generate_run(membre_slug: str = "") -> int:
    """Regenerate the datasets of one member (by its address) or of every member with the
    module; return how many new versions were published."""
    if not membre_slug:
        return len(opendata_generate_all())
    membre = Membre.objects.filter(slug=membre_slug).select_related("collectivite").first()
    if membre is None:
        return 0
    return len(opendata_generate(membre=membre))
