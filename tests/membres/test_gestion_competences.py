"""Who holds each competence: exceptions for a commune, transfers for an EPCI."""

import pytest

from socle.territoires.models import Competence, CompetenceOverride, CompetenceTransfer
from tests.helpers.a11y import assert_accessible
from tests.helpers.competences import preview, propose

pytestmark = pytest.mark.django_db


def test_it_shows_who_holds_each_competence_in_a_commune(client, demo_members):
    client.force_login(demo_members.agent_pessac)
    response = client.get("/gestion/pessac/competences/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voirie" in html
    assert "Bordeaux Métropole" in html  # voirie, by law in a métropole
    assert "État civil" in html
    # An agent sees the table but no form.
    assert "Définir une exception" not in html
    assert_accessible(response)


def test_it_sets_and_removes_an_exception(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    pessac = demo_members.pessac.collectivite
    eclairage = Competence.objects.get(code="eclairage-public")
    page = client.get("/gestion/pessac/competences/")
    assert "Définir une exception" in page.content.decode()
    assert_accessible(page)

    # The commune says, for itself, that it keeps what the law gives it; the effect is shown
    # first, then confirmed.
    shown = preview(client, "pessac", {"competence": eclairage.pk, "holder": pessac.pk})
    assert "Vérifier l’effet du changement" in shown.content.decode()
    assert_accessible(shown)
    response = propose(client, "pessac", {"competence": eclairage.pk, "holder": pessac.pk})
    assert response.status_code == 302
    override = CompetenceOverride.objects.get(commune=pessac, competence=eclairage)
    assert override.holder_id == pessac.pk

    propose(client, "pessac", {"competence": eclairage.pk, "holder": ""})
    assert not CompetenceOverride.objects.filter(commune=pessac, competence=eclairage).exists()


def test_it_lets_only_an_operateur_hand_a_competence_to_another_collectivite(
    client, demo_members, operateur
):
    pessac = demo_members.pessac.collectivite
    proprete = Competence.objects.get(code="proprete")
    handing = {"competence": proprete.pk, "holder": pessac.epci_id}

    client.force_login(demo_members.admin_pessac)
    response = client.post("/gestion/pessac/competences/", handing)
    assert response.status_code == 400
    assert "Seul un opérateur de la plateforme" in response.content.decode()
    assert not CompetenceOverride.objects.exists()

    client.force_login(operateur)
    assert propose(client, "pessac", handing).status_code == 302
    assert CompetenceOverride.objects.get(commune=pessac).holder_id == pessac.epci_id


def test_it_refuses_a_holder_outside_the_commune(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    proprete = Competence.objects.get(code="proprete")
    bordeaux = demo_members.bordeaux.collectivite
    response = client.post(
        "/gestion/pessac/competences/", {"competence": proprete.pk, "holder": bordeaux.pk}
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not CompetenceOverride.objects.exists()


def test_it_records_a_transfer_for_an_epci(client, operateur, demo_members):
    client.force_login(operateur)
    metropole = demo_members.metropole.collectivite
    eclairage = Competence.objects.get(code="eclairage-public")
    page = client.get("/gestion/bordeaux-metropole/competences/")
    assert page.status_code == 200
    assert "Enregistrer un transfert" in page.content.decode()
    assert_accessible(page)

    response = propose(client, "bordeaux-metropole", {"competence": eclairage.pk, "state": "oui"})
    assert response.status_code == 302
    assert CompetenceTransfer.objects.get(epci=metropole, competence=eclairage).transferred

    # Bordeaux now sees the métropole holding it.
    html = client.get("/gestion/bordeaux/competences/").content.decode()
    row = html.split("Éclairage public")[1].split("</tr>")[0]
    assert "Bordeaux Métropole" in row

    propose(client, "bordeaux-metropole", {"competence": eclairage.pk, "state": "loi"})
    assert not CompetenceTransfer.objects.filter(epci=metropole, competence=eclairage).exists()


def test_it_shows_every_competence_in_a_fixed_number_of_queries(
    client, demo_members, django_assert_max_num_queries
):
    client.force_login(demo_members.admin_pessac)
    # Session, roles and page: about 23 queries whatever the catalogue's size (17 competences
    # used to cost 4 queries each).
    with django_assert_max_num_queries(25):
        assert client.get("/gestion/pessac/competences/").status_code == 200
