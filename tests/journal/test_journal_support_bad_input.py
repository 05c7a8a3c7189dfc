"""Bad input in citizen support: French errors, status 400 or 404, and no journal entry."""

import html
import time
from unittest import mock

import pytest
from django.core import signing

from socle.journal.models import PersonalDataAccess
from socle.journal.selectors import support_link_token
from socle.membres.services import role_grant
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(demo_members, citizen):
    token = support_link_token(citizen=citizen, membre=demo_members.pessac)
    return f"/gestion/pessac/usagers/{token}/"


@pytest.mark.parametrize("purpose", ["", "   "], ids=["empty", "blank"])
def test_it_refuses_to_open_an_account_without_a_reason(client, agent_pessac, link, purpose):
    client.force_login(agent_pessac)
    response = client.post(link, {"purpose": purpose})
    assert response.status_code == 400
    assert_accessible(response)
    page = html.unescape(response.content.decode())
    assert "Indiquez le motif de la consultation." in page
    assert "Compte créé le" not in page
    assert not PersonalDataAccess.objects.exists()


def test_it_refuses_a_reason_too_long(client, agent_pessac, link):
    client.force_login(agent_pessac)
    response = client.post(link, {"purpose": "x" * 301})
    assert response.status_code == 400
    assert "300 caractères" in html.unescape(response.content.decode())
    assert not PersonalDataAccess.objects.exists()


def test_it_says_when_no_citizen_has_that_address(client, agent_pessac):
    client.force_login(agent_pessac)
    response = client.post("/gestion/pessac/usagers/", {"email": "personne@example.fr"})
    assert response.status_code == 200
    assert "Aucun usager n’a de compte avec cette adresse." in response.content.decode()


def test_it_never_finds_agents_through_the_citizen_search(client, agent_pessac, admin_pessac):
    client.force_login(agent_pessac)
    response = client.post("/gestion/pessac/usagers/", {"email": admin_pessac.email})
    assert "Aucun usager" in response.content.decode()


def test_it_does_not_search_by_a_part_of_the_address(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    response = client.post("/gestion/pessac/usagers/", {"email": "citoyenne@example.fr"})
    assert "Aucun usager" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [("pas-une-adresse", "Saisissez une adresse de courriel valide."), ("", "Saisissez l")],
    ids=["malformed", "empty"],
)
def test_it_refuses_a_malformed_search(client, agent_pessac, email, message):
    client.force_login(agent_pessac)
    response = client.post("/gestion/pessac/usagers/", {"email": email})
    assert response.status_code == 400
    assert_accessible(response)
    assert message in html.unescape(response.content.decode())


def test_it_answers_404_to_a_tampered_link(client, agent_pessac, link):
    client.force_login(agent_pessac)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert client.get(tampered).status_code == 404
    assert client.post(tampered, {"purpose": "Guichet"}).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_to_a_guessed_id(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    assert (
        client.post(f"/gestion/pessac/usagers/{citizen.pk}/", {"purpose": "x"}).status_code == 404
    )
    forged = signing.dumps({"u": citizen.pk, "m": "pessac"}, salt="autre chose")
    assert client.post(f"/gestion/pessac/usagers/{forged}/", {"purpose": "x"}).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_to_a_link_made_for_another_member(
    client, demo_members, agent_bordeaux, agent_pessac, citizen
):
    bordeaux_link = support_link_token(citizen=citizen, membre=demo_members.bordeaux)
    client.force_login(agent_pessac)
    response = client.post(f"/gestion/pessac/usagers/{bordeaux_link}/", {"purpose": "Guichet"})
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_to_an_expired_link(client, demo_members, agent_pessac, citizen):
    nine_hours_ago = signing.b62_encode(int(time.time()) - 9 * 3600)
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=nine_hours_ago):
        old = support_link_token(citizen=citizen, membre=demo_members.pessac)
    client.force_login(agent_pessac)
    response = client.post(f"/gestion/pessac/usagers/{old}/", {"purpose": "Guichet"})
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_it_answers_404_once_the_citizen_became_an_agent(
    client, demo_members, agent_pessac, link, citizen
):
    role_grant(acting_user=None, user=citizen, kind="agent", membre=demo_members.bordeaux)
    client.force_login(agent_pessac)
    assert client.post(link, {"purpose": "Guichet"}).status_code == 404
