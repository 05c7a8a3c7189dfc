"""data.gouv.fr refuses the key: the publication is given up at once, the administrator reads why
in French on the page, fixes the key and relaunches it."""

import pytest
from django_tasks_db.models import DBTaskResult

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.membres.models import AuditEvent
from socle.opendata.models import PublicationDataGouv
from tests.helpers.a11y import assert_accessible
from tests.opendata.datagouv_helpers import (
    KEY,
    ORG,
    ORGANISATIONS,
    OTHER_ORG,
    account,
    example_rows,
    opendata_on,
    publish,
    subventions,
)

pytestmark = pytest.mark.django_db
E = PublicationDataGouv.Etat
URL = "/gestion/pessac/donnees/datagouv/"


@pytest.fixture
def fake(settings):
    with FakeDataGouvServer(organisations=ORGANISATIONS) as server:
        settings.DATAGOUV_API_URL = server.api_url
        yield server.fake


@pytest.fixture
def jeu(demo_members, admin_pessac):
    opendata_on(demo_members.pessac)
    return subventions(admin_pessac, demo_members.pessac)


def test_it_gives_up_at_once_and_says_why(fake, jeu, demo_members, admin_pessac, run_tasks, client):
    account(admin_pessac, demo_members.pessac, cle="une-cle-perimee-0000000000")
    _version, publication = publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ABANDON and publication.tentatives == 1
    assert publication.derniere_erreur.startswith("data.gouv.fr refuse la clé d’API (erreur 401).")
    assert [r.status for r in fake.requests] == [401]
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry queued
    assert not fake.datasets

    client.force_login(admin_pessac)
    response = client.get(URL)
    assert_accessible(response)
    html = response.content.decode()
    assert "Échec définitif" in html
    assert "data.gouv.fr refuse la clé d’API (erreur 401)." in html
    assert f"/gestion/pessac/donnees/datagouv/{publication.pk}/relancer/" in html

    # The administrator saves the right key, then relaunches.
    response = client.post(URL, {"organisation": ORG, "cle": KEY, "actif": "on"})
    assert response.status_code == 302
    response = client.post(f"{URL}{publication.pk}/relancer/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="datagouv.relance", membre=demo_members.pessac).exists()
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.PUBLIE and publication.tentatives == 1
    assert len(fake.datasets) == 1
    assert "Publiée le" in client.get(URL).content.decode()


def test_it_gives_up_when_the_key_is_of_another_organisation(
    fake, jeu, demo_members, admin_pessac, run_tasks
):
    # A key that works, but for another organisation than the one set: 403.
    account(admin_pessac, demo_members.pessac, organisation=OTHER_ORG, cle=KEY)
    _version, publication = publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == E.ABANDON
    assert "(erreur 403)" in publication.derniere_erreur
    assert not fake.datasets


def test_it_relaunches_only_a_failed_publication(
    fake, jeu, demo_members, admin_pessac, run_tasks, client
):
    account(admin_pessac, demo_members.pessac)
    _version, publication = publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    client.force_login(admin_pessac)
    response = client.post(f"{URL}{publication.pk}/relancer/", follow=True)
    assert "Seule une publication en échec peut être relancée." in response.content.decode()
    assert run_tasks() == 0
    assert len(fake.requests) == 4
