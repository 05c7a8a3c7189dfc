"""The structure's open data dataset « Projets de l'observatoire »: the published projects,
no personal data, a new version only when they changed, on the structure's open data portal
with its map, CSV, JSON, GeoJSON and API."""

import csv
import io

import pytest
from django.urls import reverse

from socle.observatoire.services import contact_consent_give, projet_update
from socle.opendata.models import Jeu
from socle.opendata.services import opendata_generate_structure

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _rows(jeu: Jeu) -> list[dict[str, str]]:
    version = jeu.versions.order_by("-numero").first()
    with version.fichier.open("rb") as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")))


def test_it_publishes_the_published_projects(observatoire):
    versions = opendata_generate_structure()
    assert len(versions) == 1
    jeu = versions[0].jeu
    assert jeu.membre is None and jeu.slug == "projets-observatoire"
    assert jeu.titre == "Projets de l’observatoire"
    assert jeu.source == Jeu.Source.GENERE and jeu.generateur == "observatoire"
    assert jeu.geographique
    rows = _rows(jeu)
    assert {row["slug"] for row in rows} == {
        observatoire.voirie.slug,
        observatoire.dkcl.slug,
        observatoire.ecoles.slug,
    }
    assert observatoire.brouillon.slug not in {row["slug"] for row in rows}


def test_it_holds_no_personal_data(observatoire):
    contact_consent_give(contact=observatoire.silencieux)
    jeu = opendata_generate_structure()[0].jeu
    with jeu.versions.get().fichier.open("rb") as raw:
        text = raw.read().decode("utf-8")
    for personal in ("Anne Agent", "anne.agent", "sylvain", "Silencieux", "olivia.operatrice"):
        assert personal not in text


def test_it_publishes_a_new_version_only_when_projects_change(observatoire, operateur):
    opendata_generate_structure()
    assert opendata_generate_structure() == []
    projet_update(acting_user=operateur, projet=observatoire.ecoles, avancement=50)
    (version,) = opendata_generate_structure()
    assert version.numero == 2


def test_it_publishes_nothing_while_no_project_is_published(demo_members):
    assert opendata_generate_structure() == []
    assert not Jeu.objects.filter(generateur="observatoire").exists()


def test_it_appears_on_the_structures_open_data_portal(client, observatoire):
    opendata_generate_structure()
    page = client.get(reverse("opendata-site:accueil")).content.decode()
    assert "Projets de l’observatoire" in page
    page = client.get(reverse("opendata-site:jeu", kwargs={"jeu": "projets-observatoire"}))
    assert page.status_code == 200
    assert "/donnees/structure/projets-observatoire.geojson" in page.content.decode()
    geojson = client.get("/donnees/structure/projets-observatoire.geojson")
    features = b"".join(geojson.streaming_content).decode()
    assert features.count('"Feature"') == 3
