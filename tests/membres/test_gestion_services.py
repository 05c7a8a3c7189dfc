"""An administrator creates, changes and deletes the member's services."""

import pytest
import shapely

from socle.membres.models import Service
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

SECTEUR_NORD = (
    '{"type":"Polygon","coordinates":[[[-0.66,44.80],[-0.60,44.80],[-0.60,44.82],'
    "[-0.66,44.82],[-0.66,44.80]]]}"
)


@pytest.fixture
def admin(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    return client


def _codes(service):
    return sorted(service.competences.values_list("code", flat=True))


def test_it_shows_the_service_form(admin):
    response = admin.get("/gestion/pessac/services/nouveau/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Créer un service" in html
    assert 'name="competences"' in html
    assert "<legend>Compétences traitées</legend>" in html
    assert_accessible(response)


def test_it_creates_a_service_with_a_sector(admin, demo_members):
    from socle.territoires.models import Competence

    voirie = Competence.objects.get(code="voirie")
    proprete = Competence.objects.get(code="proprete")
    response = admin.post(
        "/gestion/pessac/services/nouveau/",
        {
            "nom": "Voirie — secteur nord",
            "email": "voirie-nord@pessac.example.fr",
            "telephone": "05 57 00 00 00",
            "competences": [voirie.pk, proprete.pk],
            "secteur_nom": "Quartiers nord",
            "secteur_geojson": SECTEUR_NORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/gestion/pessac/"
    service = Service.objects.get(membre=demo_members.pessac, nom="Voirie — secteur nord")
    assert service.email == "voirie-nord@pessac.example.fr"
    assert _codes(service) == ["proprete", "voirie"]
    assert service.secteur_nom == "Quartiers nord"
    sector = shapely.from_wkb(bytes(service.secteur_wkb))
    assert sector.geom_type == "Polygon"
    assert sector.contains(shapely.Point(-0.63, 44.81))

    page = admin.get("/gestion/pessac/")
    html = page.content.decode()
    assert "Le service « Voirie — secteur nord » a été créé." in html
    assert "Quartiers nord" in html
    assert 'role="status"' in html


def test_it_changes_a_service_and_keeps_its_sector(admin, demo_members):
    from socle.territoires.models import Competence

    service = Service.objects.create(membre=demo_members.pessac, nom="Voirie")
    admin.post(
        "/gestion/pessac/services/nouveau/",
        {"nom": "Voirie nord", "secteur_nom": "Nord", "secteur_geojson": SECTEUR_NORD},
    )
    service = Service.objects.get(membre=demo_members.pessac, nom="Voirie nord")
    page = admin.get(f"/gestion/pessac/services/{service.pk}/")
    assert page.status_code == 200
    assert 'value="Voirie nord"' in page.content.decode()
    assert "Un secteur est déjà défini" in page.content.decode()
    assert_accessible(page)

    voirie = Competence.objects.get(code="voirie")
    response = admin.post(
        f"/gestion/pessac/services/{service.pk}/",
        {"nom": "Voirie du nord", "competences": [voirie.pk], "secteur_nom": "Nord"},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.nom == "Voirie du nord"
    assert _codes(service) == ["voirie"]
    assert service.secteur_wkb is not None


def test_it_deletes_a_service_after_confirmation(admin, demo_members):
    service = demo_members.pessac.services.get(nom="Éducation")
    page = admin.get(f"/gestion/pessac/services/{service.pk}/supprimer/")
    assert page.status_code == 200
    assert "Supprimer le service Éducation ?" in page.content.decode()
    assert_accessible(page)
    assert Service.objects.filter(pk=service.pk).exists()

    response = admin.post(f"/gestion/pessac/services/{service.pk}/supprimer/")
    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()


def test_it_lets_an_operateur_manage_any_member(client, operateur, demo_members):
    client.force_login(operateur)
    response = client.post("/gestion/bordeaux/services/nouveau/", {"nom": "Voirie"})
    assert response.status_code == 302
    assert demo_members.bordeaux.services.filter(nom="Voirie").exists()
