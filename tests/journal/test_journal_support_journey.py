"""Citizen support: an agent finds a citizen, gives the reason, sees the account; one entry."""

from datetime import date

import pytest
from django.utils import timezone

from socle.comptes.models import Identity
from socle.journal.models import PersonalDataAccess
from tests.helpers.a11y import assert_accessible
from tests.helpers.journal import SUPPORT_LINK

pytestmark = pytest.mark.django_db

PURPOSE = "Demande d'assistance au guichet"


def _find(client, email="camille.citoyenne@example.fr") -> str:
    response = client.post("/gestion/pessac/usagers/", {"email": email})
    assert response.status_code == 200
    assert_accessible(response)
    found = SUPPORT_LINK.search(response.content.decode())
    assert found, response.content.decode()
    return found.group(1)


def test_it_shows_the_search_page(client, agent_pessac):
    client.force_login(agent_pessac)
    response = client.get("/gestion/pessac/usagers/")
    assert response.status_code == 200
    assert_accessible(response)
    assert "Assistance aux usagers" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_finds_a_citizen_by_exact_email_whatever_the_case(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    response = client.post("/gestion/pessac/usagers/", {"email": "Camille.Citoyenne@Example.fr"})
    page = response.content.decode()
    assert "Un compte d’usager correspond à cette adresse." in page
    # Nothing of the citizen is shown before the reason is given, and the id is not in clear.
    assert "Test" not in page.split("<main", 1)[1]
    assert f"/usagers/{citizen.pk}/" not in page


def test_it_asks_for_the_reason_before_showing_anything(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    link = _find(client)
    response = client.get(link)
    assert response.status_code == 200
    assert_accessible(response)
    page = response.content.decode()
    assert "Motif de la consultation" in page
    assert "Compte créé le" not in page
    assert not PersonalDataAccess.objects.exists()


def test_it_shows_the_account_and_records_one_entry(client, agent_pessac, citizen, demo_members):
    Identity.objects.create(
        user=citizen,
        provider=Identity.Provider.FRANCECONNECT,
        sub="fc-sub-1",
        given_name="Camille Marie",
        family_name="Citoyenne",
        birthdate=date(1985, 4, 12),
        birthplace="33318",
        verified_at=timezone.now(),
    )
    client.force_login(agent_pessac)
    link = _find(client)
    response = client.post(link, {"purpose": PURPOSE}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200
    assert_accessible(response)
    page = response.content.decode()
    assert "camille.citoyenne@example.fr" in page
    assert "Camille Marie" in page
    assert "12 avril 1985" in page
    assert "33318" in page
    assert "Compte créé le" in page
    assert "Consultation inscrite au journal des accès" in page

    entry = PersonalDataAccess.objects.get()
    assert entry.agent == agent_pessac
    assert entry.citizen == citizen
    assert entry.membre == demo_members.pessac
    assert entry.purpose == PURPOSE
    assert entry.data == "identité et coordonnées"
    assert entry.channel == "back-office : assistance aux usagers"
    assert entry.ip == "192.0.2.10"


def test_it_records_one_entry_per_opening(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    link = _find(client)
    client.post(link, {"purpose": PURPOSE})
    client.get(link)  # showing the form again records nothing
    client.post(link, {"purpose": "Rappel de l'usager au téléphone"})
    purposes = list(PersonalDataAccess.objects.order_by("id").values_list("purpose", flat=True))
    assert purposes == [PURPOSE, "Rappel de l'usager au téléphone"]


@pytest.mark.parametrize("persona", ["admin_pessac", "operateur", "dpo_pessac"])
def test_it_lets_administrators_dpo_and_operateurs_help_too(
    client, request, demo_members, citizen, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(_find(client), {"purpose": PURPOSE})
    assert response.status_code == 200
    assert PersonalDataAccess.objects.get().agent == user
