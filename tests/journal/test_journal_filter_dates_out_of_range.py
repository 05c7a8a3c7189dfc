"""Dates out of range in the journal's filters get a French message (400), never a 500 nor an
export with only a header."""

import pytest

from tests.helpers.journal import journal_page

pytestmark = pytest.mark.django_db

BAD_FILTERS = [{"au": "9999-12-31"}, {"du": "0001-01-01"}, {"du": "0001-01-01", "au": "9999-12-31"}]


@pytest.mark.parametrize("params", BAD_FILTERS)
@pytest.mark.parametrize("url", ["/gestion/pessac/journal/", "/gestion/journal/"])
def test_it_answers_a_french_message_on_the_page(
    client, ethique, pessac_and_bordeaux_entries, url, params
):
    response, page = journal_page(client, ethique, url, **params)
    assert response.status_code == 400
    assert "Saisissez une date entre le" in page


@pytest.mark.parametrize("params", BAD_FILTERS)
@pytest.mark.parametrize("url", ["/gestion/pessac/journal/export/", "/gestion/journal/export/"])
def test_it_exports_nothing(client, ethique, pessac_and_bordeaux_entries, url, params):
    response, page = journal_page(client, ethique, url, **params)
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "Saisissez une date entre le" in page
