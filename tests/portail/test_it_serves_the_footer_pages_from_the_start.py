"""The four footer pages exist from the first migration, with default texts, rendered from
Markdown; the accessibility statement says its RGAA conformity level."""

import pytest

from socle.portail.models import PagePlateforme
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/mentions-legales/", "Mentions légales"),
        ("/accessibilite/", "Déclaration d’accessibilité"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/contact/", "Contact"),
    ],
)
def test_it_serves_each_page_with_its_default_text(client, url, title):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert_accessible(response)


def test_it_renders_the_markdown(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "<h2>Vos droits</h2>" in html
    assert "## Vos droits" not in html


def test_it_states_the_conformity_level_on_the_statement(client):
    html = client.get("/accessibilite/").content.decode()
    assert "Cette plateforme est non conforme au référentiel" in html
    PagePlateforme.objects.filter(code="accessibilite").update(conformite="totale")
    html = client.get("/accessibilite/").content.decode()
    assert "Cette plateforme est totalement conforme au référentiel" in html


def test_it_has_the_four_pages():
    assert set(PagePlateforme.objects.values_list("code", flat=True)) == {
        "mentions-legales",
        "accessibilite",
        "donnees-personnelles",
        "contact",
    }
