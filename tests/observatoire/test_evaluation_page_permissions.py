"""Who may open and post the evaluation, follow-up and configuration pages: the staff of the
project's member and the structure; another member's agent gets a 403 through Pessac's address
and a 404 through its own; a citizen a 403; an anonymous visitor the login page. Only the
structure configures the grid."""

import pytest

from socle.observatoire.evaluation import jalon_create
from socle.observatoire.services import projet_create
from tests.helpers.permissions import LOGIN, assert_row, each_row, personas_by_name
from tests.observatoire.helpers_evaluation import CONFIGURATION_URL

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.observatoire.fixtures_evaluation"]

PERSONAS = [
    "anonymous",
    "citizen",
    "agent_bordeaux",
    "agent_pessac",
    "elu_pessac",
    "admin_pessac",
    "operateur",
]
SEE = [LOGIN, 403, 403, 200, 200, 200, 200]
SAVE = [LOGIN, 403, 403, 302, 302, 302, 302]
# Pessac's project through Bordeaux's address: Bordeaux's agent does not find it, Pessac's
# staff may not open Bordeaux's back office, the structure does not find it there either.
ELSEWHERE = [LOGIN, 403, 404, 403, 403, 403, 404]
CONFIGURE = [LOGIN, 403, 403, 403, 403, 403, 200]

PESSAC = "/gestion/pessac/observatoire/projets/{projet}/"
BORDEAUX = "/gestion/bordeaux/observatoire/projets/{projet}/"
PESSAC_OTHER = "/gestion/pessac/observatoire/projets/{bordeaux}/"

MATRIX = [
    ("ex ante", "get", PESSAC + "evaluation/ex-ante/", SEE),
    ("ex post", "get", PESSAC + "evaluation/ex-post/", SEE),
    ("follow-up", "get", PESSAC + "suivi/", SEE),
    # An empty questionnaire is a valid (empty) evaluation; a POST naming no form is a 400.
    ("ex ante", "post", PESSAC + "evaluation/ex-ante/", SAVE),
    ("follow-up", "post", PESSAC + "suivi/", [LOGIN, 403, 403, 400, 400, 400, 400]),
    ("ex ante elsewhere", "get", BORDEAUX + "evaluation/ex-ante/", ELSEWHERE),
    ("follow-up elsewhere", "get", BORDEAUX + "suivi/", ELSEWHERE),
    # Bordeaux's project through Pessac's address: nobody finds it there.
    ("Bordeaux's project", "get", PESSAC_OTHER + "suivi/", [LOGIN, 403, 403, 404, 404, 404, 404]),
    ("configuration", "get", CONFIGURATION_URL, CONFIGURE),
    ("configuration", "post", CONFIGURATION_URL, [LOGIN, 403, 403, 403, 403, 403, 400]),
]


@pytest.fixture
def people(request):
    return personas_by_name(request, PERSONAS)


@pytest.fixture
def ids(grid, projet_pessac, demo_members, agent_bordeaux):
    bordeaux = projet_create(
        acting_user=agent_bordeaux, membre=demo_members.bordeaux, titre="Projet de Bordeaux"
    )
    return {"projet": projet_pessac.pk, "bordeaux": bordeaux.pk}


@each_row(MATRIX)
def test_it_lets_only_the_right_people_in(people, ids, name, method, url, expected):
    assert_row(people, PERSONAS, method, url.format(**ids), expected)


def test_it_does_not_reach_another_projects_milestone(
    client, ids, projet_pessac, demo_members, agent_pessac, agent_bordeaux
):
    from socle.observatoire.models import Projet

    bordeaux = Projet.objects.get(pk=ids["bordeaux"])
    jalon = jalon_create(acting_user=agent_bordeaux, projet=bordeaux, titre="Lancement")
    client.force_login(agent_pessac)
    response = client.post(
        f"/gestion/pessac/observatoire/projets/{projet_pessac.pk}/suivi/",
        {"formulaire": "jalon_supprimer", "pk": str(jalon.pk)},
    )
    assert response.status_code == 404
    jalon.refresh_from_db()
