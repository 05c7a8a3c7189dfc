"""Every citizen search of the support screen is recorded, found or not, without keeping the
address searched; the DPO sees them, and can find the searches for a given address."""

import re

import pytest

from socle.journal.models import CitizenSearch, PersonalDataAccess
from tests.helpers.journal import journal_page

pytestmark = pytest.mark.django_db


def _search(client, email):
    return client.post("/gestion/pessac/usagers/", {"email": email})


def test_it_records_a_search_that_finds_an_account(client, agent_pessac, citizen, demo_members):
    client.force_login(agent_pessac)
    assert _search(client, "Camille.Citoyenne@example.fr").status_code == 200
    search = CitizenSearch.objects.get()
    assert (search.agent, search.membre, search.found, search.citizen) == (
        agent_pessac,
        demo_members.pessac,
        True,
        citizen,
    )
    # A search shows no personal data: the journal of accesses gets an entry on opening only.
    assert not PersonalDataAccess.objects.exists()


def test_it_records_a_search_that_finds_nothing_without_keeping_the_address(
    client, agent_pessac, demo_members
):
    client.force_login(agent_pessac)
    _search(client, "personne.inconnue@example.fr")
    search = CitizenSearch.objects.get()
    assert (search.found, search.citizen) == (False, None)
    stored = " ".join(str(value) for value in CitizenSearch.objects.values().get().values())
    assert "personne.inconnue" not in stored
    assert len(search.email_digest) == 64


def test_the_same_address_gives_the_same_digest_whatever_the_case(client, agent_pessac):
    client.force_login(agent_pessac)
    _search(client, "Personne@Example.fr")
    _search(client, " personne@example.fr")
    first, second = CitizenSearch.objects.order_by("id")
    assert first.email_digest == second.email_digest


def test_the_dpo_sees_the_searches_and_finds_them_by_address(
    client, agent_pessac, dpo_pessac, citizen
):
    client.force_login(agent_pessac)
    _search(client, "personne.inconnue@example.fr")
    _search(client, citizen.email)
    _search(client, "autre@example.fr")
    _response, page = journal_page(client, dpo_pessac, "/gestion/pessac/journal/")
    assert "3 recherches d’usagers" in page
    assert "Aucun compte" in page
    assert "Compte trouvé" in page
    _response, page = journal_page(
        client, dpo_pessac, "/gestion/pessac/journal/", usager="Personne.Inconnue@example.fr"
    )
    assert "1 recherche d’usager" in page


def test_bordeaux_dpo_does_not_see_pessacs_searches(client, agent_pessac, dpo_bordeaux):
    client.force_login(agent_pessac)
    _search(client, "personne@example.fr")
    response, page = journal_page(client, dpo_bordeaux, "/gestion/bordeaux/journal/")
    assert response.status_code == 200
    assert re.search(r">0 recherches? d’usagers?<", page)
    assert "Aucune recherche ne correspond." in page
