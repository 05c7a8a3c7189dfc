"""A worker killed mid-publication (SIGKILL during the upload): once its lease expires the
publication is taken again and published once, on the dataset already created, with one
resource, not two."""

import os
import signal
import time

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.membres.models import Membre
from socle.opendata.datagouv import datagouv_account_set, datagouv_sweep
from socle.opendata.models import Jeu, PublicationDataGouv
from socle.opendata.services import jeu_create, version_publish
from socle.territoires.models import Collectivite
from tests.helpers.task_workers import start_worker, worker_env
from tests.opendata.datagouv_helpers import KEY, ORG, ORGANISATIONS, example_rows

LEASE_SECONDS = 2
E = PublicationDataGouv.Etat


def _wait(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)


def _version():
    # A commune of its own (the Gironde may already be loaded, or flushed by another test).
    collectivite, _ = Collectivite.objects.get_or_create(
        kind=Collectivite.Kind.COMMUNE, code="99901", defaults={"nom": "Ville-Témoin"}
    )
    membre = Membre.objects.create(
        collectivite=collectivite, slug="ville-temoin-datagouv", modules=["opendata"]
    )
    datagouv_account_set(acting_user=None, membre=membre, organisation=ORG, cle=KEY)
    jeu = jeu_create(
        acting_user=None, membre=membre, titre="Subventions versées", schema="scdl/subventions"
    )
    return version_publish(acting_user=None, jeu=jeu, contenu=example_rows(), nom="s.csv")


def test_it_publishes_once_after_a_worker_is_killed(transactional_db, settings, tmp_path):
    settings.DATAGOUV_LEASE_SECONDS = LEASE_SECONDS
    version = _version()
    with FakeDataGouvServer(organisations=ORGANISATIONS) as server:
        fake = server.fake
        fake.upload_delay = 1.0
        # version_publish queued it with the version (the member has an account).
        publication = version.publications.get()
        env = worker_env(DATAGOUV_API_URL=server.api_url, DATAGOUV_LEASE_SECONDS=str(LEASE_SECONDS))
        log = tmp_path / "workers.log"

        first = start_worker(env, log)
        try:
            # The dataset is created and the upload has begun: kill the worker now.
            _wait(lambda: any(r.path.endswith("/upload/") for r in fake.requests), timeout=20)
            assert any(r.path.endswith("/upload/") for r in fake.requests), log.read_text()
            os.kill(first.pid, signal.SIGKILL)
        finally:
            first.kill()
            first.wait()
        assert first.returncode == -signal.SIGKILL

        # It died mid-publication: the publication is still owned by it, the dataset's id kept.
        publication.refresh_from_db()
        assert publication.etat == E.EN_ATTENTE and publication.reserve_jusqu_a is not None
        jeu = Jeu.objects.get(pk=version.jeu_id)
        assert jeu.datagouv_id and not jeu.datagouv_resource_id
        # data.gouv.fr finished receiving the file: a resource whose id we never learned.
        _wait(lambda: fake.datasets[jeu.datagouv_id]["resources"], timeout=5)
        assert len(fake.datasets[jeu.datagouv_id]["resources"]) == 1

        # The sweeper leaves it to the dead worker until its lease expires, then queues it again.
        assert datagouv_sweep() == 0
        time.sleep(LEASE_SECONDS + 0.2)
        assert datagouv_sweep() == 1

        fake.upload_delay = 0
        second = start_worker(env, log, "--batch")
        try:
            second.wait(timeout=30)
        finally:
            second.kill()
            second.wait()
        assert second.returncode == 0, log.read_text()

    publication.refresh_from_db()
    assert publication.etat == E.PUBLIE, (publication.derniere_erreur, log.read_text())
    assert publication.tentatives == 1
    # Published once: one dataset, one resource holding this version's file.
    assert list(fake.datasets) == [jeu.datagouv_id]
    [resource] = fake.datasets[jeu.datagouv_id]["resources"]
    assert Jeu.objects.get(pk=jeu.pk).datagouv_resource_id == resource["id"]
    with version.fichier.open("rb") as handle:
        assert fake.files[resource["id"]] == handle.read()
    assert resource["schema"]["name"] == "scdl/subventions"
    assert [r.method for r in fake.requests if r.path == "/api/1/datasets/"] == ["POST"]
