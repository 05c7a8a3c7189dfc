"""Who may open the maturity pages: the member's staff (administrators, agents, élus) and the
structure; another member's agent, citizens and anonymous visitors are refused. Only the
structure configures the questionnaire."""

import pytest

from tests.helpers.permissions import LOGIN, assert_row, each_row, not_allowed, personas_by_name
from tests.observatoire.fixtures_feuilles import diagnose

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
BASE = "/gestion/pessac/observatoire/diagnostic/"
STAFF = [LOGIN, 403, 403, 200, 200, 200, 200]

MATRIX = [
    ("history", "get", BASE, STAFF),
    ("history", "post", BASE, not_allowed(PERSONAS)),
    ("questionnaire", "get", BASE + "nouveau/", STAFF),
    # An empty questionnaire: refused with its errors.
    ("questionnaire", "post", BASE + "nouveau/", [LOGIN, 403, 403, 400, 400, 400, 400]),
    ("diagnostic", "get", BASE + "{pk}/", STAFF),
    ("diagnostic", "post", BASE + "{pk}/", not_allowed(PERSONAS)),
    ("unknown diagnostic", "get", BASE + "999999/", [LOGIN, 403, 403, 404, 404, 404, 404]),
    (
        "configuration",
        "get",
        "/gestion/observatoire/maturite/",
        [LOGIN, 403, 403, 403, 403, 403, 200],
    ),
    (
        "configuration",
        "post",
        "/gestion/observatoire/maturite/",
        [LOGIN, 403, 403, 403, 403, 403, 404],
    ),
]


@pytest.fixture
def people(request):
    return personas_by_name(request, PERSONAS)


@each_row(MATRIX)
def test_it_lets_only_the_right_people_in(people, demo_members, name, method, url, expected):
    diagnostic = diagnose(demo_members.pessac, 2)
    assert_row(people, PERSONAS, method, url.format(pk=diagnostic.pk), expected)
