"""A sorted or filtered page of a version is computed once (a version never changes), and the
« latest » address follows a new version at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.opendata.serve_data import (  # noqa: F401 - fixture
    opendata_media,
    publish,
    subventions,
    subventions_head,
    with_opendata,
)

pytestmark = pytest.mark.django_db


def test_it_computes_a_sorted_page_once_and_follows_a_new_version(
    client, demo_members, admin_pessac
):
    pessac = with_opendata(demo_members.pessac)
    jeu = subventions(pessac, admin_pessac)
    url = reverse("api-opendata:lignes", args=["pessac", jeu.slug])
    query = {"tri": "-montant", "page_size": 3}

    with CaptureQueriesContext(connection) as first:
        body = client.get(url, query).json()
    with CaptureQueriesContext(connection) as again:
        assert client.get(url, query).json() == body
    rows_read = [q for q in first.captured_queries if "opendata_ligne" in q["sql"]]
    assert rows_read and not [q for q in again.captured_queries if "opendata_ligne" in q["sql"]]

    publish(jeu, admin_pessac, subventions_head(2))
    latest = client.get(url, query).json()
    assert latest["version"] == 2 and latest["count"] == 2
