"""The ethics committee reads every member's journal, filters it by member, and exports it."""

import pytest

from tests.helpers.a11y import assert_accessible
from tests.helpers.journal import journal_page

pytestmark = pytest.mark.django_db


def _page(client, user, url="/gestion/journal/", **params):
    return journal_page(client, user, url, **params)


def test_it_shows_every_members_entries(client, ethique, pessac_and_bordeaux_entries):
    response, page = _page(client, ethique)
    assert response.status_code == 200
    assert_accessible(response)
    assert "Journal des accès aux données personnelles" in page
    assert "Demande d'assistance au guichet" in page
    assert "Instruction de la demande 2026-0042" in page
    assert "Chaîne vérifiée : le journal de la plateforme est intègre (2 entrées)." in page


def test_it_filters_by_member(client, ethique, pessac_and_bordeaux_entries):
    _response, page = _page(client, ethique, membre="bordeaux")
    assert "Instruction de la demande 2026-0042" in page
    assert "Demande d'assistance au guichet" not in page


def test_it_refuses_an_unknown_member_filter(client, ethique, pessac_and_bordeaux_entries):
    response, page = _page(client, ethique, membre="atlantis")
    assert response.status_code == 400
    assert_accessible(response)
    assert "Sélectionnez un choix valide" in page


def test_it_opens_each_members_journal_too(client, ethique, pessac_and_bordeaux_entries):
    response, page = _page(client, ethique, url="/gestion/pessac/journal/")
    assert response.status_code == 200
    assert "Demande d'assistance au guichet" in page
    assert "Instruction de la demande 2026-0042" not in page


def test_it_exports_the_filtered_list(client, ethique, pessac_and_bordeaux_entries):
    client.force_login(ethique)
    response = client.get("/gestion/journal/export/", {"membre": "pessac"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Demande d'assistance au guichet" in content
    assert "Instruction de la demande" not in content
    assert 'filename="journal-acces-tous-membres-' in response["Content-Disposition"]
