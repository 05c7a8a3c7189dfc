"""A member's first publication on data.gouv.fr creates the dataset under its organisation,
uploads the file as a resource with the member's key, and declares the schema."""

import pytest
from django_tasks_db.models import DBTaskResult

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.opendata.models import Jeu, PublicationDataGouv
from tests.opendata.datagouv_helpers import (
    KEY,
    ORG,
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
def pessac(demo_members):
    opendata_on(demo_members.pessac)
    return demo_members.pessac


def test_it_creates_the_dataset_and_uploads_the_resource(fake, pessac, admin_pessac, run_tasks):
    account(admin_pessac, pessac)
    jeu = subventions(admin_pessac, pessac)
    version, publication = publish(admin_pessac, jeu, example_rows())
    assert publication is not None and publication.etat == PublicationDataGouv.Etat.EN_ATTENTE
    assert fake.requests == []  # nothing is sent before a worker runs the task

    assert run_tasks() == 1
    publication.refresh_from_db()
    assert publication.etat == PublicationDataGouv.Etat.PUBLIE
    assert publication.tentatives == 1 and publication.derniere_erreur == ""
    assert publication.publie_le is not None and publication.reserve_jusqu_a is None

    create, read, upload, resource = fake.requests
    assert (create.method, create.path) == ("POST", "/api/1/datasets/")
    assert create.api_key == KEY and create.content_type == "application/json"
    assert create.json["organization"] == {"id": ORG}
    assert create.json["title"] == "Subventions versées"
    assert create.json["description"] == "Les subventions versées par la ville."
    assert create.json["license"] == "lov2" and create.json["frequency"] == "annual"

    jeu = Jeu.objects.get(pk=jeu.pk)
    [dataset] = fake.datasets.values()
    assert jeu.datagouv_id == dataset["id"]
    # Before a first upload, it looks for one whose answer was lost (a worker killed mid-upload).
    assert (read.method, read.path) == ("GET", f"/api/1/datasets/{jeu.datagouv_id}/")
    assert (upload.method, upload.path) == ("POST", f"/api/1/datasets/{jeu.datagouv_id}/upload/")
    assert upload.api_key == KEY and upload.content_type.startswith("multipart/form-data")
    assert upload.filename == "subventions-versees.csv"
    with version.fichier.open("rb") as handle:
        assert upload.content == handle.read()

    [published] = dataset["resources"]
    assert jeu.datagouv_resource_id == published["id"]
    assert fake.files[published["id"]] == upload.content
    assert (resource.method, resource.path) == (
        "PUT",
        f"/api/1/datasets/{jeu.datagouv_id}/resources/{published['id']}/",
    )
    assert resource.api_key == KEY
    assert published["schema"]["name"] == "scdl/subventions"
    assert published["schema"]["version"]  # the shipped schema's version
    assert published["type"] == "main" and published["title"] == "Subventions versées (CSV)"
    assert "Version 1, 29 lignes" in published["description"]
    assert dataset["organization"] == {"id": ORG}


def test_it_publishes_nothing_without_an_account(fake, pessac, admin_pessac, run_tasks):
    jeu = subventions(admin_pessac, pessac)
    _version, publication = publish(admin_pessac, jeu, example_rows())
    assert publication is None
    assert not PublicationDataGouv.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert run_tasks() == 0 and fake.requests == []


def test_it_publishes_nothing_while_the_account_is_suspended(fake, pessac, admin_pessac, run_tasks):
    compte = account(admin_pessac, pessac)
    compte.actif = False
    compte.save()
    jeu = subventions(admin_pessac, pessac)
    assert publish(admin_pessac, jeu, example_rows())[1] is None
    assert run_tasks() == 0 and fake.requests == []
