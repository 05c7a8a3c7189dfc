"""The issue's « Done means », through the pages and APIs a person and a harvester use.

The Métropole's open data page lists its generated datasets; Pessac's administrator uploads
the official valid subventions example and it is published; the invalid examples are refused
with readable errors; the DCAT catalogue parses as RDF and lists both members' datasets; the
API answers a filtered query; the data.gouv.fr fake receives the dataset.
"""

from pathlib import Path

import pytest
import rdflib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from socle.demo.fake_datagouv import FakeDataGouvServer
from socle.demo.setup import setup_opendata, setup_signalements
from socle.opendata.datagouv import datagouv_account_set
from socle.opendata.models import Jeu, PublicationDataGouv

EXAMPLES = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas" / "subventions"
ORG = "5f0c8b1e2a9d4c3b2a1f0e9d"
KEY = "cle-pessac-0123456789abcdefWXYZ"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture
def fake(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with FakeDataGouvServer(organisations={ORG: KEY}) as server:
        settings.DATAGOUV_API_URL = server.api_url
        yield server.fake


def _upload(client, example: str):
    url = reverse("gestion:opendata:deposer", args=["pessac", "subventions-versees"])
    content = (EXAMPLES / example).read_bytes()
    return client.post(url, {"fichier": SimpleUploadedFile(example, content, "text/csv")})


def test_it_publishes_validates_catalogues_serves_and_sends_to_datagouv(
    client, demo_members, admin_pessac, fake, run_tasks
):
    setup_signalements(demo_members.users)
    setup_opendata()

    # The Métropole's open data page lists its generated datasets.
    page = client.get("/bordeaux-metropole/donnees/").content.decode()
    for titre in ("quipements", "ignalements", "lus", "atalogue"):
        assert titre in page, titre

    # Pessac's administrator sets its data.gouv.fr account, declares the dataset, uploads.
    pessac = demo_members.pessac
    datagouv_account_set(acting_user=admin_pessac, membre=pessac, organisation=ORG, cle=KEY)
    client.force_login(admin_pessac)
    created = client.post(
        reverse("gestion:opendata:nouveau", args=["pessac"]),
        {
            "titre": "Subventions versées",
            "description": "Les subventions versées par la ville.",
            "schema": "scdl/subventions",
            "licence": "lo-2.0",
            "frequence": "annual",
        },
    )
    assert created.status_code == 302
    for example, expected in (
        ("exemple_invalide_erreurs_cellules.csv", "Valeur trop grande"),
        ("exemple_invalide_erreurs_colonnes.csv", "Colonne manquante"),
    ):
        refused = _upload(client, example)
        assert refused.status_code == 400
        assert expected in refused.content.decode()
    assert not Jeu.objects.get(membre=pessac, slug="subventions-versees").versions.exists()
    published = _upload(client, "exemple_valide.csv")
    assert published.status_code == 302
    client.logout()

    # The structure's DCAT catalogue parses as RDF and lists both members' datasets.
    graph = rdflib.Graph().parse(
        data=client.get("/donnees/catalogue.ttl").content.decode(), format="turtle"
    )
    titles = {
        str(title)
        for dataset in graph.subjects(rdflib.RDF.type, DCAT.Dataset)
        for title in graph.objects(dataset, DCT.title)
    }
    assert "Subventions versées" in titles
    assert any("quipements" in title for title in titles)
    jsonld = rdflib.Graph().parse(
        data=client.get("/donnees/catalogue.jsonld").content.decode(), format="json-ld"
    )
    assert len(set(jsonld.subjects(rdflib.RDF.type, DCAT.Dataset))) == len(
        set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    )

    # The API answers a filtered query.
    api = client.get(
        "/api/v1/donnees/pessac/subventions-versees/lignes",
        {"nomBeneficiaire__contient": "association", "page_size": 5},
    )
    assert api.status_code == 200
    rows = api.json()["results"]
    assert rows and all("association" in row["nomBeneficiaire"].lower() for row in rows)

    # The data.gouv.fr fake receives the dataset once a worker runs the publication.
    run_tasks()
    publication = PublicationDataGouv.objects.get(version__jeu__slug="subventions-versees")
    assert publication.etat == PublicationDataGouv.Etat.PUBLIE
    assert any(d["title"] == "Subventions versées" for d in fake.datasets.values())
