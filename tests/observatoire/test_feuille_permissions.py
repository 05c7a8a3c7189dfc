"""Who may open and change a roadmap, record its adoption, read its versions and see the
coherence view: the member's staff write its roadmap, only its administrators and élus record
an adoption, another member's agent is refused, citizens and anonymous visitors too."""

import pytest
from django.core.exceptions import PermissionDenied

from socle.observatoire import feuilles
from tests.helpers.permissions import LOGIN, assert_row, each_row, not_allowed, personas_by_name

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "citizen",
    "agent_bordeaux",
    "agent_pessac",
    "elu_pessac",
    "admin_pessac",
    "operateur",
]
BASE = "/gestion/pessac/observatoire/feuille-de-route/"

MATRIX = [
    ("roadmap", "get", BASE, [LOGIN, 403, 403, 200, 200, 200, 200]),
    # A POST without an action names no part of the page: not found, once allowed in.
    ("roadmap", "post", BASE, [LOGIN, 403, 403, 404, 404, 404, 404]),
    ("adoption", "get", BASE + "adopter/", [LOGIN, 403, 403, 403, 200, 200, 200]),
    # An empty form: refused with its errors (400) once allowed in.
    ("adoption", "post", BASE + "adopter/", [LOGIN, 403, 403, 403, 400, 400, 400]),
    ("version", "get", BASE + "versions/1/", [LOGIN, 403, 403, 200, 200, 200, 200]),
    ("version", "post", BASE + "versions/1/", not_allowed(PERSONAS)),
    ("unknown version", "get", BASE + "versions/9/", [LOGIN, 403, 403, 404, 404, 404, 404]),
    (
        "coherence",
        "get",
        "/gestion/observatoire/coherence/",
        [LOGIN, 403, 200, 200, 200, 200, 200],
    ),
    ("coherence", "post", "/gestion/observatoire/coherence/", not_allowed(PERSONAS)),
]


@pytest.fixture
def people(request):
    return personas_by_name(request, PERSONAS)


@pytest.fixture
def version(demo_members, elu_pessac):
    feuilles.feuille_update(acting_user=None, membre=demo_members.pessac, ambition="Ambition.")
    return feuilles.feuille_adopt(
        acting_user=elu_pessac, membre=demo_members.pessac, instance="Conseil municipal"
    )


@each_row(MATRIX)
def test_it_lets_only_the_right_people_in(people, version, name, method, url, expected):
    assert_row(people, PERSONAS, method, url, expected)


def test_it_refuses_an_agent_of_bordeaux_the_services_of_pessac(demo_members, agent_bordeaux):
    pessac = demo_members.pessac
    with pytest.raises(PermissionDenied):
        feuilles.feuille_update(acting_user=agent_bordeaux, membre=pessac, ambition="Piraté")
    with pytest.raises(PermissionDenied):
        feuilles.axe_create(acting_user=agent_bordeaux, membre=pessac, titre="Piraté")
    axe = feuilles.axe_create(acting_user=None, membre=pessac, titre="Gouvernance")
    with pytest.raises(PermissionDenied):
        feuilles.axe_delete(acting_user=agent_bordeaux, axe=axe)
    with pytest.raises(PermissionDenied):
        feuilles.jalon_create(acting_user=agent_bordeaux, membre=pessac, titre="Piraté")
    with pytest.raises(PermissionDenied):
        feuilles.feuille_adopt(acting_user=agent_bordeaux, membre=pessac, instance="Conseil")


def test_it_refuses_a_citizen_everything(demo_members, citizen):
    with pytest.raises(PermissionDenied):
        feuilles.feuille_update(acting_user=citizen, membre=demo_members.pessac, ambition="X")


def test_it_offers_the_adoption_to_an_elu_and_records_it(client, version, elu_pessac):
    client.force_login(elu_pessac)
    page = client.get(BASE).content.decode()
    assert 'action="/gestion/pessac/observatoire/feuille-de-route/adopter/"' in page
    response = client.post(BASE + "adopter/", {"instance": "Conseil municipal du 2 juin 2026"})
    assert response.status_code == 302
    assert response["Location"] == BASE + "versions/2/"
    page = client.get(BASE).content.decode()
    assert "Version 2 adoptée le" in page and "Conseil municipal du 2 juin 2026" in page
