"""Who may open each screen of the journal, for the member Pessac and for the whole platform.

Citizen support: Pessac's agents, administrators and DPO, and the opérateurs. The journal of
Pessac: its DPO and the ethics committee only (not its administrator, not an opérateur). The
journal of every member: the ethics committee only. Each request runs in a rolled-back
savepoint, so that one persona's write never changes the next one's answer.
"""

import pytest

from socle.journal.selectors import support_link_token
from socle.membres.services import role_end
from tests.helpers.permissions import LOGIN, assert_row, each_row, not_allowed, personas_by_name

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "citizen",
    "agent_bordeaux",
    "dpo_bordeaux",
    "elu_pessac",
    "agent_pessac",
    "admin_pessac",
    "dpo_pessac",
    "operateur",
    "ethique",
]
SUPPORT = [LOGIN, 403, 403, 403, 403, 200, 200, 200, 200, 403]
SUPPORT_POST = [LOGIN, 403, 403, 403, 403, 400, 400, 400, 400, 403]
MEMBER_JOURNAL = [LOGIN, 403, 403, 403, 403, 403, 403, 200, 403, 200]
STRUCTURE_JOURNAL = [LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200]
OWN_ACCESSES = [LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200]
NOT_ALLOWED = not_allowed(PERSONAS)


MATRIX = [
    ("support search", "get", "/gestion/pessac/usagers/", SUPPORT),
    ("support search", "post", "/gestion/pessac/usagers/", SUPPORT_POST),
    ("support open", "get", "/gestion/pessac/usagers/{token}/", SUPPORT),
    ("support open", "post", "/gestion/pessac/usagers/{token}/", SUPPORT_POST),
    ("member journal", "get", "/gestion/pessac/journal/", MEMBER_JOURNAL),
    ("member journal", "post", "/gestion/pessac/journal/", NOT_ALLOWED),
    ("member export", "get", "/gestion/pessac/journal/export/", MEMBER_JOURNAL),
    ("structure journal", "get", "/gestion/journal/", STRUCTURE_JOURNAL),
    ("structure export", "get", "/gestion/journal/export/", STRUCTURE_JOURNAL),
    ("my accesses", "get", "/gestion/mes-acces/", OWN_ACCESSES),
]


@pytest.fixture
def people(request):
    return personas_by_name(request, PERSONAS)


@pytest.fixture
def ids(demo_members, citizen):
    return {"token": support_link_token(citizen=citizen, membre=demo_members.pessac)}


@each_row(MATRIX)
def test_it_lets_each_persona_do_only_what_its_role_allows(
    people, ids, name, method, url, expected
):
    assert_row(people, PERSONAS, method, url.format(**ids), expected)


def test_it_answers_404_for_an_unknown_member(client, ethique):
    client.force_login(ethique)
    assert client.get("/gestion/atlantis/journal/").status_code == 404


def test_it_forgets_a_dpo_whose_role_ended(client, demo_members, dpo_pessac):
    role_end(acting_user=None, role=dpo_pessac.roles.get())
    client.force_login(dpo_pessac)
    assert client.get("/gestion/pessac/journal/").status_code == 403
