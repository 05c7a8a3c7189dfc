"""The searched address travels in the request's body, never in a URL."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_searches_by_post_and_ignores_an_address_in_the_url(client, agent_pessac, citizen):
    client.force_login(agent_pessac)
    page = client.get("/gestion/pessac/usagers/", {"email": citizen.email})
    html = page.content.decode()
    # A GET only shows the form: no search is made from a URL (prefetch, history, logs).
    assert page.status_code == 200
    assert "Un compte d’usager correspond" not in html
    assert 'method="post"' in html
    found = client.post("/gestion/pessac/usagers/", {"email": citizen.email})
    assert "Un compte d’usager correspond à cette adresse." in found.content.decode()
