"""After logging in, each role lands where its work is; an explicit ?next= still wins.

Opérateurs, administrators, DPO and the ethics committee: « Gestion » (/gestion/). Agents and
élus: their member's back office when they work for exactly one member (else /gestion/).
Citizens: « Mon espace ». Every way in (password, second factor, FranceConnect, ProConnect)
goes through LOGIN_REDIRECT_URL, /comptes/apres-connexion/, which sends each role home.
"""

import pytest

from socle.comptes import totp
from socle.membres.models import Role
from tests.helpers.comptes import enrol_totp, log_in
from tests.helpers.oidc import login_through
from tests.helpers.personas import persona

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db

LANDING = "/comptes/apres-connexion/"


def _lands(client, response) -> str:
    """Follow the login's redirect through the landing view; return where it ends."""
    assert response.status_code == 302
    location = response["Location"]
    if location == LANDING:
        landed = client.get(LANDING)
        assert landed.status_code == 302
        location = landed["Location"]
    return location


def _log_in_with_code(client, user, password, **extra) -> str:
    secret = enrol_totp(user)
    response = log_in(client, user, password, **extra)
    assert response["Location"] == "/comptes/second-facteur/"
    return _lands(client, client.post("/comptes/second-facteur/", {"code": totp.code_at(secret)}))


def test_it_lands_a_citizen_in_my_space(client, citizen, password):
    assert _lands(client, log_in(client, citizen, password)) == "/comptes/espace/"


def test_it_lands_an_agent_of_one_member_in_its_back_office(client, agent_pessac, password):
    assert _lands(client, log_in(client, agent_pessac, password)) == "/gestion/pessac/"


def test_it_lands_an_elu_of_one_member_in_its_back_office(client, demo_members, password):
    assert _lands(client, log_in(client, demo_members.elu_pessac, password)) == "/gestion/pessac/"


def test_it_lands_an_agent_of_two_members_in_the_list(client, demo_members, password):
    agent = persona(
        demo_members.agent_pessac.email, kind=Role.Kind.ELU, membre=demo_members.bordeaux
    )
    assert _lands(client, log_in(client, agent, password)) == "/gestion/"


def test_it_lands_an_administrator_in_gestion_after_the_second_factor(
    client, admin_pessac, password
):
    assert _log_in_with_code(client, admin_pessac, password) == "/gestion/"


def test_it_lands_an_operateur_in_gestion_after_the_second_factor(client, operateur, password):
    assert _log_in_with_code(client, operateur, password) == "/gestion/"


def test_it_lands_a_dpo_in_gestion(client, dpo_pessac, password):
    assert _log_in_with_code(client, dpo_pessac, password) == "/gestion/"


def test_it_lets_an_explicit_next_win(client, operateur, password):
    landed = _log_in_with_code(client, operateur, password, next="/comptes/espace/")
    assert landed == "/comptes/espace/"


def test_it_refuses_a_next_to_another_site(client, agent_pessac, password):
    response = log_in(client, agent_pessac, password, next="https://evil.example/")
    assert _lands(client, response) == "/gestion/pessac/"


def test_it_lands_a_franceconnect_citizen_in_my_space(client, fake_fc):
    assert _lands(client, login_through(client, "angela")) == "/comptes/espace/"


def test_it_lands_a_proconnect_agent_in_the_back_office(client, fake_pc, agent_pessac):
    fake_pc.add_identity(
        "anne", email=agent_pessac.email, given_name="Anne", usual_name="Agent", siret="1" * 14
    )
    response = login_through(client, "anne", "proconnect")
    assert _lands(client, response) == "/gestion/pessac/"


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(LANDING)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
