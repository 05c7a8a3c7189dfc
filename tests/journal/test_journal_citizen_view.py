"""« Qui a consulté mes données » : the citizen sees the accesses to his or her data, only."""

import pytest
from django.utils import dateformat, timezone, translation

from tests.helpers.a11y import assert_accessible
from tests.helpers.journal import journal_page, record_access

pytestmark = pytest.mark.django_db


def _page(client, user):
    return journal_page(client, user, "/gestion/mes-acces/")


def test_it_shows_when_who_which_data_why_and_from_where(
    client, citizen, pessac_and_bordeaux_entries
):
    response, page = _page(client, citizen)
    assert response.status_code == 200
    assert_accessible(response)
    entry = pessac_and_bordeaux_entries[0]
    assert "Qui a consulté mes données" in page
    assert "Pessac — Propreté et espaces verts" in page
    assert "par Test Persona" in page
    assert "identité et coordonnées" in page
    assert "Demande d'assistance au guichet" in page
    assert "back-office : assistance aux usagers" in page
    with translation.override("fr"):
        when = dateformat.format(timezone.localtime(entry.created_at), "j F Y à H:i")
    assert when in page


def test_it_never_shows_the_agents_email(client, citizen, pessac_and_bordeaux_entries):
    _response, page = _page(client, citizen)
    assert "anne.agent@pessac.example.fr" not in page
    assert "@pessac.example.fr" not in page


def test_it_never_shows_someone_elses_accesses(
    client, citizen, other_citizen, pessac_and_bordeaux_entries
):
    _response, page = _page(client, citizen)
    assert "Instruction de la demande 2026-0042" not in page
    _response, page = _page(client, other_citizen)
    assert "Instruction de la demande 2026-0042" in page
    assert "Bordeaux — Propreté urbaine" in page
    assert "Demande d'assistance au guichet" not in page


def test_it_says_when_nobody_accessed_the_data(client, citizen):
    response, page = _page(client, citizen)
    assert response.status_code == 200
    assert_accessible(response)
    assert "Aucun agent n’a consulté vos données personnelles." in page


def test_it_names_the_role_when_the_agent_has_no_service(
    client, citizen, demo_members, admin_pessac
):
    record_access(
        admin_pessac,
        citizen,
        demo_members.pessac,
        data="justificatif de domicile",
        channel="back-office : démarches",
        purpose="Inscription cantine",
        action="export",
    )
    _response, page = _page(client, citizen)
    assert "Pessac — Administrateur de la collectivité" in page
    assert 'justificatif de domicile <span class="muted">(export)</span>' in page


def test_it_is_linked_from_the_citizens_space(client, citizen):
    client.force_login(citizen)
    page = client.get("/comptes/espace/").content.decode()
    assert 'href="/gestion/mes-acces/"' in page


def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/gestion/mes-acces/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
