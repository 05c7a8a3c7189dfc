"""« Mon espace » speaks to a citizen as a citizen: no « Mes rôles », no back office, no
ProConnect; people who hold roles still see them and their back offices."""

import pytest

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

STAFF_WORDING = ("Mes rôles", "Mes espaces de gestion", "ProConnect", 'href="/gestion/"', "rôle")


def test_it_shows_a_citizen_only_citizen_wording(client, citizen):
    client.force_login(citizen)
    response = client.get("/comptes/espace/")
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for wording in STAFF_WORDING:
        assert wording not in main
    assert "Qui a consulté mes données" in main
    assert "Mes connexions FranceConnect" in main
    assert_accessible(response)


def test_it_shows_an_agent_roles_and_back_office(client, agent_pessac):
    client.force_login(agent_pessac)
    html = client.get("/comptes/espace/").content.decode()
    assert "Mes rôles" in html
    assert "<strong>Agent</strong>" in html
    assert 'href="/gestion/pessac/"' in html
    assert "Mes connexions (FranceConnect, ProConnect)" in html
