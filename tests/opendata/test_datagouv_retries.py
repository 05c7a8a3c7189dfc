"""data.gouv.fr unavailable (5xx, nothing listening): the publication is retried later with a
growing delay, then published; after the last attempt it is given up, with the reason."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.opendata.models import Jeu, PublicationDataGouv
from tests.helpers.net import free_port
from tests.opendata.datagouv_helpers import (
    ORGANISATIONS,
    account,
    example_rows,
    opendata_on,
    publish,
    subventions,
)

pytestmark = pytest.mark.django_db
E = PublicationDataGouv.Etat


@pytest.fixture
def fake(settings):
    with FakeDataGouvServer(organisations=ORGANISATIONS) as server:
        settings.DATAGOUV_API_URL = server.api_url
        yield server.fake


@pytest.fixture
def jeu(demo_members, admin_pessac):
    opendata_on(demo_members.pessac)
    account(admin_pessac, demo_members.pessac)
    return subventions(admin_pessac, demo_members.pessac)


@pytest.fixture
def clock(monkeypatch):
    """Move the platform's clock (and the task queue's) forward."""
    real_now = timezone.now
    offset = [timedelta(0)]
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset[0])

    def advance(delta: timedelta) -> None:
        offset[0] += delta

    return advance


def test_it_publishes_after_two_503(fake, jeu, admin_pessac, run_tasks, clock):
    fake.fail_next(503, times=2)
    _version, publication = publish(admin_pessac, jeu, example_rows())

    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ECHEC and publication.tentatives == 1
    assert "data.gouv.fr est indisponible (erreur 503)" in publication.derniere_erreur
    assert "Nouvel essai prévu" in publication.derniere_erreur
    first_delay = publication.prochain_essai - timezone.now()
    assert timedelta(minutes=1) < first_delay <= timedelta(minutes=2)
    # The retry is queued for then, not before.
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert abs(retry.run_after - publication.prochain_essai) < timedelta(seconds=1)
    assert run_tasks() == 0

    clock(timedelta(minutes=2, seconds=1))
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ECHEC and publication.tentatives == 2
    # The delay grows.
    assert publication.prochain_essai - timezone.now() > timedelta(minutes=3)
    assert run_tasks() == 0

    clock(timedelta(minutes=4, seconds=1))
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.PUBLIE and publication.tentatives == 3
    assert publication.derniere_erreur == ""
    assert len(fake.datasets) == 1
    assert Jeu.objects.get(pk=jeu.pk).datagouv_id in fake.datasets
    assert run_tasks() == 0


def test_it_gives_up_after_the_last_attempt(fake, jeu, admin_pessac, run_tasks, clock, settings):
    settings.DATAGOUV_MAX_ATTEMPTS = 2
    fake.fail_next(500, times=5)
    _version, publication = publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    clock(timedelta(minutes=3))
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ABANDON and publication.tentatives == 2
    assert publication.derniere_erreur.startswith("Abandon après 2 essais.")
    assert "erreur 500" in publication.derniere_erreur
    clock(timedelta(hours=1))
    assert run_tasks() == 0
    assert not fake.datasets


def test_it_retries_when_nothing_answers(jeu, admin_pessac, run_tasks, settings):
    settings.DATAGOUV_API_URL = f"http://127.0.0.1:{free_port()}/api/1"
    _version, publication = publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ECHEC and publication.tentatives == 1
    assert publication.derniere_erreur.startswith("data.gouv.fr ne répond pas")
    assert not Jeu.objects.get(pk=jeu.pk).datagouv_id


def test_it_uses_the_stored_dataset_when_the_upload_failed(
    fake, jeu, admin_pessac, run_tasks, clock
):
    # The dataset is created, then the upload meets a 503: the retry does not create it again.
    _version, publication = publish(admin_pessac, jeu, example_rows())
    fake.fail_next(503, on=r"^POST .*/upload/$")
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ECHEC
    dataset_id = Jeu.objects.get(pk=jeu.pk).datagouv_id
    assert dataset_id in fake.datasets

    clock(timedelta(minutes=2, seconds=1))
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.PUBLIE
    assert list(fake.datasets) == [dataset_id]
    assert [r.path for r in fake.requests if r.path == "/api/1/datasets/"] == ["/api/1/datasets/"]
