"""The journal's page is drawn with the UI kit: a table that stacks, the kit's pagination."""

import re

import pytest

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

COLUMNS = ["Date", "Agent", "Usager", "Données", "Motif", "Écran ou API"]


def test_it_labels_every_journal_cell_with_its_column(
    client, dpo_pessac, pessac_and_bordeaux_entries
):
    client.force_login(dpo_pessac)
    response = client.get("/gestion/pessac/journal/")
    page = response.content.decode()
    assert_accessible(response)
    assert '<table class="kit-table">' in page
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    assert rows
    for row in rows:
        cells = re.findall(r"<t[hd][^>]*>", row)
        labels = [re.search(r'data-label="([^"]*)"', cell).group(1) for cell in cells]
        assert labels == COLUMNS


def test_it_titles_the_journal_with_an_error_when_its_filters_are_wrong(client, dpo_pessac):
    client.force_login(dpo_pessac)
    response = client.get("/gestion/pessac/journal/", {"du": "2026-03-01", "au": "2026-02-01"})
    assert response.status_code == 400
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert title.startswith("Erreur : Journal des accès aux données — Pessac")


def test_it_shows_the_kit_empty_state_when_nothing_matches(client, dpo_pessac):
    client.force_login(dpo_pessac)
    page = client.get("/gestion/pessac/journal/", {"usager": "personne"}).content.decode()
    assert 'class="kit-empty"' in page and "Aucun accès ne correspond." in page
