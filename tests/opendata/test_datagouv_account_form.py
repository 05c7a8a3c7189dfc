"""The data.gouv.fr settings form: errors in French in one round, nothing saved."""

import pytest

from socle.opendata.models import CompteDataGouv
from tests.helpers.a11y import assert_accessible
from tests.opendata.datagouv_helpers import KEY, ORG, opendata_on

pytestmark = pytest.mark.django_db
URL = "/gestion/pessac/donnees/datagouv/"


@pytest.fixture
def admin(client, demo_members, admin_pessac):
    opendata_on(demo_members.pessac)
    client.force_login(admin_pessac)
    return client


def test_it_shows_an_empty_account_and_no_publication(admin):
    response = admin.get(URL)
    assert response.status_code == 200
    assert_accessible(response)
    html = response.content.decode()
    assert "Aucun compte data.gouv.fr n’est enregistré" in html
    assert "Aucune publication pour le moment." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"organisation": "mairie-de-pessac", "cle": KEY},
            "L’identifiant de l’organisation compte 24 caractères",
        ),
        ({"organisation": ORG, "cle": ""}, "Saisissez la clé d’API de data.gouv.fr."),
        ({"organisation": ORG, "cle": "trop courte"}, "ne ressemble pas à une clé de data.gouv.fr"),
        ({"organisation": "", "cle": KEY}, "Ce champ est obligatoire."),
    ],
)
def test_it_refuses_a_bad_account(admin, data, message):
    response = admin.post(URL, data)
    assert response.status_code == 400
    assert_accessible(response)
    html = response.content.decode()
    assert "<title>Erreur" in html
    assert message in html
    assert not CompteDataGouv.objects.exists()


def test_it_accepts_an_organisation_in_capitals(admin, demo_members):
    assert admin.post(URL, {"organisation": ORG.upper(), "cle": KEY}).status_code == 302
    assert CompteDataGouv.objects.get(membre=demo_members.pessac).organisation == ORG
