"""Who may open and who may change each back-office page, for the member Pessac.

Every persona meets every URL, with GET and with POST; each request runs in a savepoint
rolled back afterwards, so a write by one persona never hides the next persona's answer.
"""

import pytest
from django.test import Client

from socle.membres.models import Role
from socle.membres.services import invitation_create
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

# What each persona gets, in the order of PERSONAS.
READ = [LOGIN, 403, 403, 200, 200, 200, 200]
MANAGE_FORM = [LOGIN, 403, 403, 403, 403, 200, 200]
NOT_ALLOWED = not_allowed(PERSONAS)


def manage_write(result):
    return [LOGIN, 403, 403, 403, 403, result, result]


def operateur_only(result):
    return [LOGIN, 403, 403, 403, 403, 403, result]


# name, method, URL (formatted with the ids of the setup), expected statuses
MATRIX = [
    ("tableau", "get", "/gestion/", [LOGIN, 200, 200, 200, 200, 200, 200]),
    ("tableau", "post", "/gestion/", NOT_ALLOWED),
    ("membre_nouveau", "get", "/gestion/membres/nouveau/", operateur_only(200)),
    ("membre_nouveau search", "get", "/gestion/membres/nouveau/?q=Mérignac", operateur_only(200)),
    ("membre_nouveau", "post", "/gestion/membres/nouveau/", operateur_only(400)),
    ("membre", "get", "/gestion/pessac/", READ),
    ("membre", "post", "/gestion/pessac/", NOT_ALLOWED),
    ("reglages", "get", "/gestion/pessac/reglages/", NOT_ALLOWED),
    ("reglages", "post", "/gestion/pessac/reglages/", manage_write(400)),
    ("competences", "get", "/gestion/pessac/competences/", READ),
    ("competences", "post", "/gestion/pessac/competences/", manage_write(400)),
    ("service_nouveau", "get", "/gestion/pessac/services/nouveau/", MANAGE_FORM),
    ("service_nouveau", "post", "/gestion/pessac/services/nouveau/", manage_write(400)),
    ("service_modifier", "get", "/gestion/pessac/services/{service}/", MANAGE_FORM),
    ("service_modifier", "post", "/gestion/pessac/services/{service}/", manage_write(400)),
    ("service_supprimer", "get", "/gestion/pessac/services/{service}/supprimer/", MANAGE_FORM),
    (
        "service_supprimer",
        "post",
        "/gestion/pessac/services/{service}/supprimer/",
        manage_write(302),
    ),
    ("agent_inviter", "get", "/gestion/pessac/agents/inviter/", MANAGE_FORM),
    ("agent_inviter", "post", "/gestion/pessac/agents/inviter/", manage_write(400)),
    ("role_terminer", "get", "/gestion/pessac/roles/{role}/retirer/", MANAGE_FORM),
    ("role_terminer", "post", "/gestion/pessac/roles/{role}/retirer/", manage_write(302)),
    ("invitation_annuler", "get", "/gestion/pessac/invitations/{invitation}/annuler/", NOT_ALLOWED),
    (
        "invitation_annuler",
        "post",
        "/gestion/pessac/invitations/{invitation}/annuler/",
        manage_write(302),
    ),
]


@pytest.fixture
def people(request):
    return personas_by_name(request, PERSONAS)


@pytest.fixture
def ids(demo_members):
    pessac = demo_members.pessac
    invitation, _token = invitation_create(
        email="nouvel.agent@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=pessac,
    )
    return {
        "service": pessac.services.get(nom="Éducation").pk,
        "role": Role.objects.get(user=demo_members.elu_pessac, membre=pessac).pk,
        "invitation": invitation.pk,
    }


@each_row(MATRIX)
def test_it_lets_each_persona_do_only_what_its_role_allows(
    people, ids, name, method, url, expected
):
    assert_row(people, PERSONAS, method, url.format(**ids), expected)


def test_it_sends_anonymous_visitors_to_the_login_page(client, demo_members):
    response = client.get("/gestion/pessac/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/connexion/?next=/gestion/pessac/"


def test_it_never_reaches_a_service_of_another_member(client, demo_members):
    bordeaux_service = demo_members.bordeaux.services.get(nom="Propreté urbaine")
    client.force_login(demo_members.admin_pessac)
    for url in [
        f"/gestion/pessac/services/{bordeaux_service.pk}/",
        f"/gestion/pessac/services/{bordeaux_service.pk}/supprimer/",
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"nom": "Pris"}).status_code == 404
    bordeaux_service.refresh_from_db()
    assert bordeaux_service.nom == "Propreté urbaine"


def test_it_never_ends_a_role_of_another_member(client, demo_members):
    role = Role.objects.get(user=demo_members.agent_bordeaux, membre=demo_members.bordeaux)
    client.force_login(demo_members.admin_pessac)
    assert client.post(f"/gestion/pessac/roles/{role.pk}/retirer/").status_code == 404
    assert client.post(f"/gestion/bordeaux/roles/{role.pk}/retirer/").status_code == 403
    role.refresh_from_db()
    assert role.ended_at is None


def test_it_refuses_a_write_without_csrf_token(demo_members):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_members.admin_pessac)
    response = client.post("/gestion/pessac/services/nouveau/", {"nom": "Sans jeton"})
    assert response.status_code == 403
    assert not demo_members.pessac.services.filter(nom="Sans jeton").exists()


def test_it_answers_404_for_an_unknown_member(client, operateur):
    client.force_login(operateur)
    assert client.get("/gestion/atlantide/").status_code == 404
