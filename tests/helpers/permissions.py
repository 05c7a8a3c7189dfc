"""The permission-matrix harness: each persona meets each URL, with GET or POST.

A test module lists its personas (fixture names, or attributes of `demo_members`, or
"anonymous") and a matrix of rows `(name, method, URL, expected statuses in persona order)`.
Each request runs in a savepoint rolled back afterwards, so a write by one persona never hides
the next persona's answer.
"""

import pytest
from django.db import transaction
from django.test import Client

LOGIN = 302  # what an anonymous visitor gets: the way to the login page


def not_allowed(personas) -> list[int]:
    """The row of a method the page does not take: login for the anonymous, then 405."""
    return [LOGIN] + [405] * (len(personas) - 1)


def personas_by_name(request, personas) -> dict:
    """The user of each persona name: None for "anonymous", else its fixture or demo member."""
    demo_members = request.getfixturevalue("demo_members")
    people = {}
    for persona in personas:
        if persona == "anonymous":
            people[persona] = None
        elif hasattr(demo_members, persona):
            people[persona] = getattr(demo_members, persona)
        else:
            people[persona] = request.getfixturevalue(persona)
    return people


def status_of(user, method: str, url: str) -> int:
    """The status `user` (None: anonymous) gets for `method url`, in a rolled-back savepoint."""
    client = Client()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response.status_code


def each_row(matrix):
    """Parametrize a test with the matrix's rows, named "GET name"."""
    return pytest.mark.parametrize(
        ("name", "method", "url", "expected"),
        matrix,
        ids=[f"{method.upper()} {name}" for name, method, _url, _expected in matrix],
    )


def assert_row(people: dict, personas, method: str, url: str, expected) -> None:
    """Every persona gets exactly its expected status for `method url`."""
    got = {persona: status_of(people[persona], method, url) for persona in personas}
    assert got == dict(zip(personas, expected, strict=True))
