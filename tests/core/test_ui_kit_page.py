"""The UI kit's documentation page shows every component, with fake data, to anyone."""

import html
import re

import pytest

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

KIT = "/gestion/kit/"


def _get(client, **params):
    response = client.get(KIT, params)
    return response, response.content.decode()


def test_it_shows_every_component_to_an_anonymous_visitor(client):
    response, page = _get(client)
    assert response.status_code == 200
    assert_accessible(response)
    assert 'class="kit-backoffice kit-backoffice-with-menu"' in page
    assert 'aria-label="Fil d’Ariane"' in page
    assert 'class="kit-table"' in page
    assert 'class="kit-badge kit-badge-succes"' in page
    assert 'class="kit-empty"' in page
    assert 'class="kit-pagination"' in page
    assert 'class="error-summary kit-error-summary"' in page
    assert page.count('role="img"') == 3
    assert page.count('class="kit-chart-data"') == 3


def test_it_keeps_the_kit_page_out_of_search_engines(client):
    response, page = _get(client)
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_it_marks_the_active_menu_entry_and_the_current_crumb(client):
    _response, page = _get(client)
    menu = re.search(r'<nav class="kit-sidenav".*?</nav>', page, re.S).group(0)
    assert menu.count('aria-current="page"') == 1
    assert '<a href="/gestion/kit/" aria-current="page">Kit d’interface</a>' in menu
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert re.search(r'<li aria-current="page">Kit d’interface</li>\s*</ol>', crumbs)
    # A crumb without a link is plain text, not the current page.
    assert "<li>Gestion</li>" in crumbs


def test_it_filters_the_example_table_and_pages_it_with_the_filter(client):
    _response, page = _get(client, statut="traitee")
    page = html.unescape(page)
    assert "Traitée" in page and "D-2026-" in page
    assert 'href="?statut=traitee&page=2" rel="next"' in page


def test_it_accepts_a_valid_example_form_and_records_nothing(client):
    response = client.post(
        KIT,
        {
            "nom": "Voirie",
            "courriel": "voirie@exemple.fr",
            "canal": "courriel",
            "ouverture": "15/09/2026",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Le formulaire d’exemple est valide" in page
