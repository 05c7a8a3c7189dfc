"""A large upload is validated and published by a task, not within the web request, and the
dataset's page tells where it stands: published, or refused with its errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socle.opendata.models import Depot, Version
from tests.opendata.datagouv_helpers import EXAMPLE

EXAMPLES = EXAMPLE.parent


@pytest.fixture
def small_limit(settings):
    # Every file of the test is « large ».
    settings.OPENDATA_SYNC_MAX_BYTES = 100


def _upload(client, name: str):
    url = reverse("gestion:opendata:deposer", args=["pessac", "subventions-versees"])
    content = (EXAMPLES / name).read_bytes()
    return client.post(url, {"fichier": SimpleUploadedFile(name, content, "text/csv")})


def _page(client) -> str:
    url = reverse("gestion:opendata:jeu", args=["pessac", "subventions-versees"])
    return client.get(url).content.decode()


def test_it_publishes_a_large_file_from_a_task(
    client, subventions, admin_pessac, small_limit, run_tasks
):
    client.force_login(admin_pessac)
    response = _upload(client, "exemple_valide.csv")
    assert response.status_code == 302
    assert not Version.objects.exists()
    assert "Validation en cours" in _page(client)
    [depot] = Depot.objects.all()
    assert depot.etat == Depot.Etat.EN_ATTENTE and depot.fichier.name

    run_tasks()
    depot.refresh_from_db()
    assert depot.etat == Depot.Etat.PUBLIE and depot.version.numero == 1
    assert depot.version.nb_lignes == 29
    # The upload itself is not kept: the version has its own file.
    assert not depot.fichier.name
    assert "Publié" in _page(client)


def test_it_shows_the_report_of_a_large_file_refused_by_the_task(
    client, subventions, admin_pessac, small_limit, run_tasks
):
    client.force_login(admin_pessac)
    assert _upload(client, "exemple_invalide_erreurs_cellules.csv").status_code == 302
    run_tasks()
    [depot] = Depot.objects.all()
    assert depot.etat == Depot.Etat.REFUSE and not Version.objects.exists()
    page = _page(client)
    assert "Refusé" in page and "Valeur trop grande" in page


def test_it_validates_a_task_s_file_once_even_if_the_task_runs_twice(
    client, subventions, admin_pessac, small_limit, run_tasks
):
    from socle.opendata.services import depot_traiter

    client.force_login(admin_pessac)
    _upload(client, "exemple_valide.csv")
    [depot] = Depot.objects.all()
    depot_traiter.enqueue(depot.pk)
    run_tasks()
    assert Version.objects.count() == 1


def test_it_validates_again_an_upload_whose_worker_died(
    client, subventions, admin_pessac, small_limit, run_tasks, settings
):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    client.force_login(admin_pessac)
    _upload(client, "exemple_valide.csv")
    [depot] = Depot.objects.all()
    # A worker took it, then was killed: its task stays « running », the upload « en cours ».
    DBTaskResult.objects.all().delete()
    Depot.objects.filter(pk=depot.pk).update(pris_le=timezone.now() - timedelta(minutes=5))
    settings.OPENDATA_DEPOT_LEASE_SECONDS = 600
    call_command("datagouv_sweep")
    assert run_tasks() == 0  # still within the dead worker's lease: nobody takes it yet

    settings.OPENDATA_DEPOT_LEASE_SECONDS = 60
    call_command("datagouv_sweep")
    run_tasks()
    depot.refresh_from_db()
    assert depot.etat == Depot.Etat.PUBLIE and Version.objects.count() == 1
