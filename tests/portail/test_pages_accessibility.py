"""Accessibility basics on every page: language, one h1, skip link, labels, alternatives, ids."""

import pytest

from socle.core.colours import contrast, theme_colours
from socle.membres.models import Role
from socle.membres.services import invitation_create
from tests.helpers.a11y import a11y_problems, assert_accessible

pytestmark = pytest.mark.django_db

# URL, who looks at it (None: anonymous), expected status
PAGES = [
    ("/", None, 200),
    ("/?q=bordeaux", None, 200),
    ("/bordeaux/", None, 200),
    ("/pessac/", None, 200),
    ("/bordeaux-metropole/", None, 200),
    ("/atlantide/", None, 404),
    ("/comptes/connexion/", None, 200),
    ("/comptes/invitation/{token}/", None, 200),
    ("/comptes/invitation/perime/", None, 410),
    ("/comptes/espace/", "admin_pessac", 200),
    ("/gestion/", "operateur", 200),
    ("/gestion/", "citizen", 200),
    ("/gestion/membres/nouveau/", "operateur", 200),
    ("/gestion/membres/nouveau/?q=talence", "operateur", 200),
    ("/gestion/membres/nouveau/?collectivite=commune:33522", "operateur", 200),
    ("/gestion/pessac/", "admin_pessac", 200),
    ("/gestion/pessac/", "operateur", 200),
    ("/gestion/pessac/", "agent_pessac", 200),
    ("/gestion/pessac/", "agent_bordeaux", 403),
    ("/gestion/pessac/competences/", "admin_pessac", 200),
    ("/gestion/bordeaux-metropole/competences/", "operateur", 200),
    ("/gestion/pessac/services/nouveau/", "admin_pessac", 200),
    ("/gestion/pessac/services/{service}/", "admin_pessac", 200),
    ("/gestion/pessac/services/{service}/supprimer/", "admin_pessac", 200),
    ("/gestion/pessac/agents/inviter/", "admin_pessac", 200),
    ("/gestion/pessac/roles/{role}/retirer/", "admin_pessac", 200),
]


@pytest.fixture
def context(demo_members, citizen, operateur):
    _invitation, token = invitation_create(
        email="nouvelle@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
    )
    people = {
        "citizen": citizen,
        "operateur": operateur,
        "admin_pessac": demo_members.admin_pessac,
        "agent_pessac": demo_members.agent_pessac,
        "agent_bordeaux": demo_members.agent_bordeaux,
    }
    ids = {
        "token": token,
        "service": demo_members.pessac.services.get(nom="Éducation").pk,
        "role": Role.objects.get(user=demo_members.agent_pessac).pk,
    }
    return people, ids


@pytest.mark.parametrize(("url", "persona", "status"), PAGES)
def test_it_meets_the_accessibility_basics(client, context, url, persona, status):
    people, ids = context
    if persona:
        client.force_login(people[persona])
    response = client.get(url.format(**ids))
    assert response.status_code == status
    assert_accessible(response)
    html = response.content.decode()
    assert '<main id="contenu"' in html
    assert "<header" in html
    assert "<footer" in html
    assert "<nav" in html


def test_it_catches_what_it_is_meant_to_catch():
    page = (
        '<html lang="en"><body><h1>A</h1><h1>B</h1><input name="q">'
        '<img src="x.png"><svg></svg><p id="a"></p><p id="a"></p></body></html>'
    )
    problems = "\n".join(a11y_problems(page))
    for expected in ['lang="fr"', "one <h1>", "duplicated ids", "skip link", "'q' has no label"]:
        assert expected in problems
    assert "has no alt" in problems
    assert "<svg>" in problems


@pytest.mark.parametrize("colour", ["#1f4e8c", "#ffff00", "#7fdbff", "#808080", "#000000"])
def test_it_keeps_the_theme_readable_whatever_the_colour(colour):
    colours = theme_colours(colour)
    assert colours["theme"] == colour
    assert contrast(colours["theme"], colours["on_theme"]) >= 4.5
    assert contrast(colours["theme_text"], "#ffffff") >= 4.5


def test_it_ignores_a_colour_that_is_not_rrggbb():
    assert theme_colours("red;}body{display:none")["theme"] == "#1f4e8c"


def test_it_injects_the_member_colour_as_a_custom_property(client, demo_members):
    # Through the theme stylesheet: the Content-Security-Policy allows no inline style.
    html = client.get("/bordeaux/").content.decode()
    assert 'href="/theme/8c1d18' in html
    stylesheet = html.split('href="/theme/8c1d18', 1)[1].split('"', 1)[0]
    css = client.get("/theme/8c1d18" + stylesheet).content.decode()
    assert ":root{--theme:#8c1d18;" in css
