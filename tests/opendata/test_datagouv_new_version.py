"""A new version replaces the file of the dataset's resource on data.gouv.fr: the same dataset,
the same resource, its metadata updated."""

import pytest

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.opendata.datagouv import datagouv_retry
from socle.opendata.models import Jeu, PublicationDataGouv
from tests.opendata.datagouv_helpers import (
    KEY,
    ORGANISATIONS,
    account,
    example_rows,
    opendata_on,
    publish,
    subventions,
)

pytestmark = pytest.mark.django_db


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


def test_it_replaces_the_file_of_the_same_resource(fake, jeu, admin_pessac, run_tasks):
    publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    first = Jeu.objects.get(pk=jeu.pk)
    fake.requests.clear()

    jeu.titre = "Subventions versées par Pessac"
    jeu.save(update_fields=["titre"])
    version, publication = publish(admin_pessac, jeu, example_rows(5))
    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == PublicationDataGouv.Etat.PUBLIE

    again = Jeu.objects.get(pk=jeu.pk)
    assert (again.datagouv_id, again.datagouv_resource_id) == (
        first.datagouv_id,
        first.datagouv_resource_id,
    )
    update, replace, resource = fake.requests
    dataset, rid = first.datagouv_id, first.datagouv_resource_id
    assert (update.method, update.path) == ("PUT", f"/api/1/datasets/{dataset}/")
    assert update.json["title"] == "Subventions versées par Pessac"
    assert (replace.method, replace.path) == (
        "POST",
        f"/api/1/datasets/{dataset}/resources/{rid}/upload/",
    )
    assert replace.api_key == KEY and replace.content_type.startswith("multipart/form-data")
    assert (resource.method, resource.path) == (
        "PUT",
        f"/api/1/datasets/{dataset}/resources/{rid}/",
    )

    [only] = fake.datasets.values()
    assert only["title"] == "Subventions versées par Pessac"
    [file] = only["resources"]
    with version.fichier.open("rb") as handle:
        assert fake.files[rid] == handle.read()
    assert file["filesize"] == len(fake.files[rid])
    assert "Version 2, 5 lignes" in file["description"]


def test_it_does_not_put_back_an_older_version(fake, jeu, admin_pessac, run_tasks, settings):
    # The first version's publication fails (data.gouv.fr is down), the second goes through.
    settings.DATAGOUV_MAX_ATTEMPTS = 1
    fake.fail_next(503)
    _v1, older = publish(admin_pessac, jeu, example_rows())
    assert run_tasks() == 1
    v2, newer = publish(admin_pessac, jeu, example_rows(5))
    assert run_tasks() == 1
    newer.refresh_from_db()
    assert newer.etat == PublicationDataGouv.Etat.PUBLIE

    # Relaunched afterwards, the first one does not replace the newer file.
    datagouv_retry(acting_user=admin_pessac, publication=older)
    assert run_tasks() == 1
    older.refresh_from_db()
    assert older.etat == PublicationDataGouv.Etat.ABANDON
    assert "Une version plus récente est déjà publiée" in older.derniere_erreur
    [dataset] = fake.datasets.values()
    with v2.fichier.open("rb") as handle:
        assert fake.files[dataset["resources"][0]["id"]] == handle.read()
