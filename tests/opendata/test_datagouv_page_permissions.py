"""Who may open Pessac's data.gouv.fr page, change its account and relaunch its publications:
its staff see the states, its administrators change them; another member's administrator gets a
403, and a publication of another member is not found through Pessac's address."""

import pytest

from socle.membres.models import Role
from socle.opendata.models import PublicationDataGouv
from socle.opendata.services import version_publish
from tests.helpers.permissions import LOGIN, assert_row, each_row, not_allowed, personas_by_name
from tests.helpers.personas import persona
from tests.opendata.datagouv_helpers import (
    ORG,
    account,
    example_rows,
    opendata_on,
    subventions,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "citizen", "admin_bordeaux", "agent_pessac", "admin_pessac"]
SEE = [LOGIN, 403, 403, 200, 200]
# An agent sees the states but cannot change the account; a valid form from an administrator
# redirects; a bad one is a 400.
CHANGE = [LOGIN, 403, 403, 403, 400]
RELAUNCH = [LOGIN, 403, 403, 403, 302]

MATRIX = [
    ("page", "get", "/gestion/pessac/donnees/datagouv/", SEE),
    ("page", "post", "/gestion/pessac/donnees/datagouv/", CHANGE),
    ("relaunch", "post", "/gestion/pessac/donnees/datagouv/{failed}/relancer/", RELAUNCH),
    (
        "relaunch",
        "get",
        "/gestion/pessac/donnees/datagouv/{failed}/relancer/",
        not_allowed(PERSONAS),
    ),
    (
        "other member's",
        "post",
        "/gestion/pessac/donnees/datagouv/{bordeaux}/relancer/",
        [LOGIN, 403, 403, 403, 404],
    ),
]


@pytest.fixture
def admin_bordeaux(demo_members):
    return persona(
        "bruno.admin@bordeaux.example.fr",
        kind=Role.Kind.ADMINISTRATEUR,
        membre=demo_members.bordeaux,
    )


@pytest.fixture
def people(request):
    return personas_by_name(request, PERSONAS)


def _failed_publication(admin, membre) -> PublicationDataGouv:
    opendata_on(membre)
    account(admin, membre)
    jeu = subventions(admin, membre)
    version = version_publish(acting_user=admin, jeu=jeu, contenu=example_rows(3), nom="s.csv")
    # version_publish queued it, the member having an account.
    publication = version.publications.get()
    publication.etat = PublicationDataGouv.Etat.ABANDON
    publication.derniere_erreur = "data.gouv.fr refuse la clé d’API (erreur 401)."
    publication.save()
    return publication


@pytest.fixture
def ids(demo_members, admin_pessac, admin_bordeaux):
    return {
        "failed": _failed_publication(admin_pessac, demo_members.pessac).pk,
        "bordeaux": _failed_publication(admin_bordeaux, demo_members.bordeaux).pk,
    }


@each_row(MATRIX)
def test_it_lets_only_the_right_people_in(people, ids, name, method, url, expected):
    assert_row(people, PERSONAS, method, url.format(**ids), expected)


def test_it_shows_the_states_but_no_form_to_an_agent(client, ids, agent_pessac):
    client.force_login(agent_pessac)
    html = client.get("/gestion/pessac/donnees/datagouv/").content.decode()
    assert "Échec définitif" in html and "erreur 401" in html
    assert ORG in html
    assert 'name="cle"' not in html and "/relancer/" not in html


def test_it_hides_the_page_when_the_module_is_off(client, ids, demo_members, admin_pessac):
    pessac = demo_members.pessac
    pessac.modules = [code for code in pessac.modules if code != "opendata"]
    pessac.save(update_fields=["modules"])
    client.force_login(admin_pessac)
    assert client.get("/gestion/pessac/donnees/datagouv/").status_code == 404
