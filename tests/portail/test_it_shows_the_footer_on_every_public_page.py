"""Every public page ends with the structure's name and the links to its four pages.

The accessibility link states the conformity level the statement declares, as the RGAA asks.
"""

import pytest

from socle.portail.models import PagePlateforme

pytestmark = pytest.mark.django_db

LINKS = [
    ('href="/mentions-legales/"', "Mentions légales"),
    ('href="/accessibilite/"', "Accessibilité : non conforme"),
    ('href="/donnees-personnelles/"', "Données personnelles"),
    ('href="/contact/"', "Contact"),
]


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


@pytest.mark.parametrize(
    "url", ["/", "/comptes/connexion/", "/mentions-legales/", "/accessibilite/", "/contact/"]
)
def test_it_shows_the_footer_on_public_pages(client, settings, url):
    settings.SITE_NAME = "Gironde Numérique"
    response = client.get(url)
    assert response.status_code == 200
    footer = _footer(response.content.decode())
    assert "Gironde Numérique" in footer
    for href, label in LINKS:
        assert href in footer
        assert label in footer


def test_it_shows_the_footer_on_a_member_home(client, demo_members):
    footer = _footer(client.get("/pessac/").content.decode())
    for href, label in LINKS:
        assert href in footer and label in footer


def test_it_states_the_declared_conformity_level(client):
    PagePlateforme.objects.filter(code="accessibilite").update(conformite="partielle")
    footer = _footer(client.get("/").content.decode())
    assert "Accessibilité : partiellement conforme" in footer
    assert "non conforme" not in footer
