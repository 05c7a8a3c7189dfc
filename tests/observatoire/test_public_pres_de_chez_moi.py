"""« Qui l'a déjà fait près de chez moi ? »: a collectivité named in a text field (or the
member of the person logged in), the published projects nearest first, as a list and as map
data; namesakes to choose from; French errors."""

import json
import re

import pytest
from django.urls import reverse

from tests.helpers.a11y import assert_accessible

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


def _page(client, **params):
    response = client.get(reverse("observatoire-site:pres"), params)
    assert response.status_code == 200
    assert_accessible(response)
    return response.content.decode()


def _order(page, *titles):
    positions = [page.index(title) for title in titles]
    return positions == sorted(positions)


def _points(page):
    found = re.search(
        r'<script id="observatoire-points" type="application/json">(.*?)</script>', page
    )
    return json.loads(found.group(1))


def test_it_lists_the_projects_nearest_first(client, observatoire):
    page = _page(client, commune="Pessac", rayon="tout")
    assert "3 projets, du plus proche au plus lointain de Pessac" in page
    main = page[page.index('id="resultats-titre"') :]
    assert _order(main, observatoire.voirie.titre, "Tablettes dans les écoles", "DK&#x27;CL!")
    assert "à moins d’1 km" in main and "à 5 km" in main and "à 728 km" in main
    points = _points(page)
    assert {point["nom"] for point in points} == {"Pessac", "Bordeaux", "Dunkerque"}
    dunkerque = next(point for point in points if point["nom"] == "Dunkerque")
    assert dunkerque["projets"][0]["url"] == reverse(
        "observatoire-site:projet", args=[observatoire.dkcl.slug]
    )
    assert 'data-obs-points="observatoire-points"' in page
    assert "public-carte.js" in page


def test_it_keeps_to_the_distance_and_theme_asked(client, observatoire):
    page = _page(client, commune="Pessac", rayon="20")
    assert "2 projets à moins de 20 km de Pessac" in page
    assert "DK&#x27;CL!" not in page
    page = _page(client, commune="Pessac", rayon="tout", theme="inclusion")
    assert "1 projet, du plus proche" in page and "Tablettes dans les écoles" in page
    page = _page(client, commune="Pessac", rayon="tout", q="signalement")
    assert "2 projets" in page and "Tablettes" not in page
    page = _page(client, commune="Pessac", rayon="20", theme="cybersecurite")
    assert "Aucun projet publié à moins de 20 km de Pessac" in page
    assert "Élargissez la distance" in page


def test_it_offers_the_namesakes_to_choose_from(client, observatoire):
    page = _page(client, commune="Saint-Médard", rayon="tout")
    assert "Plusieurs collectivités portent ce nom : laquelle ?" in page
    links = re.findall(r'<a href="(\?[^"]*lieu=commune%3A\d+[^"]*)">([^<]+)</a>', page)
    assert len(links) >= 2
    url, nom = next((u, n) for u, n in links if n == "Saint-Médard-en-Jalles")
    page = client.get(
        reverse("observatoire-site:pres") + url.replace("&amp;", "&")
    ).content.decode()
    assert "de Saint-Médard-en-Jalles" in page
    assert observatoire.voirie.titre in page


def test_it_explains_an_unknown_commune_in_french(client, observatoire):
    page = _page(client, commune="Trifouilly-les-Oies")
    assert "Aucune collectivité ne s’appelle « Trifouilly-les-Oies »" in page
    assert "<title>Erreur :" in page
    page = _page(client, commune="")
    assert "Indiquez votre commune ou collectivité." in page


def test_it_starts_from_the_members_collectivite(client, observatoire, agent_bordeaux):
    page = _page(client)
    assert "Indiquez votre commune pour voir les projets publiés autour d’elle." in page
    client.force_login(agent_bordeaux)
    page = _page(client)
    assert 'value="Bordeaux"' in page
    assert "à moins de 100 km de Bordeaux" in page
    # The distance list says the distance searched.
    assert re.search(r'<option value="100" selected>', page)


def test_it_lets_the_tiles_host_serve_images(client, observatoire, settings):
    settings.MAP_TILES_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    response = client.get(reverse("observatoire-site:pres"), {"commune": "Pessac"})
    assert "https://*.tile.example.org" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
