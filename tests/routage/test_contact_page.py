"""« Qui contacter ? » without a browser: the card, the choice, and every bad path."""

import html
import re

import pytest
from django.urls import reverse

from socle.routage.contact import PROBLEMES
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture

URL = "/qui-contacter/"
PESSAC = "1 avenue Jean Jaurès 33600 Pessac"


@pytest.fixture
def page(client, demo_members, fresh_router, fake_adresse):  # noqa: F811
    """POST the question (or a choice) and return the page's text."""

    def ask(url: str = URL, **data) -> str:
        response = client.post(url, data)
        assert response.status_code == 200
        return html.unescape(response.content.decode())

    return ask


def test_it_maps_every_problem_to_a_competence_of_the_catalogue():
    from socle.territoires.competences import CATALOGUE

    codes = {row[0] for row in CATALOGUE}
    assert {probleme.competence for probleme in PROBLEMES} <= codes
    assert len({probleme.code for probleme in PROBLEMES}) == len(PROBLEMES)
    assert {"voirie", "eclairage-public", "proprete", "dechets"} <= {
        probleme.competence for probleme in PROBLEMES
    }


def test_it_shows_the_question_to_anyone(client, demo_members):
    response = client.get(URL)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Un nid-de-poule ou un trottoir abîmé" in text
    assert "voirie" not in text.split("<main", 1)[1].lower().replace("nid-de-poule", "")


def test_it_reserves_its_address_and_serves_each_member(client, demo_members):
    from socle.core.modules import reserved_slugs

    assert "qui-contacter" in reserved_slugs()
    assert reverse("routage:qui-contacter", kwargs={"slug": "pessac"}) == "/pessac/qui-contacter/"
    assert client.get("/pessac/qui-contacter/").status_code == 200
    assert client.get("/personne/qui-contacter/").status_code == 404


def test_it_checks_every_field_in_one_round(page):
    text = page(adresse="", commune="")
    assert "<title>Erreur : Qui contacter ?" in text
    assert "Indiquez une adresse, ou bien votre commune." in text
    assert "Choisissez le problème que vous constatez." in text


def test_it_says_so_when_the_address_is_unknown_and_still_checks_the_problem(page):
    text = page(adresse="12 impasse des Inconnus 99999 Nullepart")
    assert "Nous n’avons pas trouvé cette adresse" in text
    assert "Ou votre commune" in text
    assert "Choisissez le problème que vous constatez." in text


@pytest.mark.parametrize("trouble", ["down", "slow", "error", "nonsense"])
def test_it_asks_for_the_commune_when_the_address_api_fails(page, fake_adresse, settings, trouble):  # noqa: F811
    if trouble == "down":
        settings.ADDRESS_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    elif trouble == "slow":
        settings.ADDRESS_API_TIMEOUT = 0.3
        fake_adresse.app.delay = 1.0
    elif trouble == "error":
        fake_adresse.app.fail_status = 503
    else:
        settings.ADDRESS_API_URL = fake_adresse.url + "/nowhere"
    text = page(adresse=PESSAC, probleme="nid-de-poule")
    assert "<title>Erreur : Qui contacter ?" in text
    assert "La recherche d’adresses ne répond pas pour le moment" in text
    assert "Indiquez plutôt votre commune" in text


def test_it_answers_for_the_commune_when_the_address_api_fails(page, fake_adresse):  # noqa: F811
    fake_adresse.app.fail_status = 503
    text = page(adresse=PESSAC, commune="Saint-Émilion", probleme="lampadaire")
    assert "La recherche d’adresses ne répond pas" in text
    assert "Mairie de Saint-Émilion" in text
    assert "Erreur" not in text


def test_it_answers_a_pothole_at_a_pessac_address_with_the_metropole(page, fake_adresse):  # noqa: F811
    text = page(adresse=PESSAC, probleme="nid-de-poule")
    # Two addresses match: the person chooses, the question rides along.
    assert "Plusieurs lieux correspondent" in text
    assert "25 Avenue Jean Jaurès 33600 Pessac" in text
    assert fake_adresse.app.queries[-1]["q"] == PESSAC
    asked = len(fake_adresse.app.queries)
    # The choice carries the place shown, signed: the second step asks the API nothing.
    first = re.search(r'name="lieu" value="([^"]+)"', text).group(1)
    text = page(adresse=PESSAC, probleme="nid-de-poule", etape="choix", lieu=html.unescape(first))
    assert len(fake_adresse.app.queries) == asked
    assert "Bordeaux Métropole s’en occupe" in text
    assert "1 Avenue Jean Jaurès 33600 Pessac (Pessac)" in text
    assert "voirie" in text.lower()
    assert "Compétence exercée de droit par ce type d'intercommunalité." in text
    assert "Direction de la voirie" in text or "Pôle territorial Sud — voirie" in text


def test_it_asks_again_when_no_place_is_chosen(page):
    text = page(adresse=PESSAC, probleme="nid-de-poule", etape="choix")
    assert "<title>Erreur : Qui contacter ?" in text
    assert "Choisissez un des lieux proposés." in text


@pytest.mark.parametrize("lieu", ["0", "forgé:44.8:-0.6", "a" * 300])
def test_it_refuses_a_place_it_did_not_offer(page, lieu):
    text = page(adresse=PESSAC, probleme="nid-de-poule", etape="choix", lieu=lieu)
    assert "<title>Erreur : Qui contacter ?" in text
    assert "Choisissez un des lieux proposés." in text
    assert "s’en occupe" not in text


def test_it_answers_a_streetlight_in_saint_emilion_with_its_mairie(page):
    text = page(commune="Saint-Émilion", probleme="lampadaire")
    assert "Saint-Émilion s’en occupe" in text
    assert "Mairie de Saint-Émilion" in text
    assert "Horaires d’ouverture" in text
    # Hours in words, not raw times.
    assert " h" in text and ":00:00" not in text
    assert "mailto:" in text or "tel:" in text


def test_it_says_so_when_the_commune_is_unknown(page):
    text = page(commune="Atlantide-sur-Mer", probleme="lampadaire")
    assert "Aucune commune ne correspond à « Atlantide-sur-Mer »" in text


def test_a_member_page_keeps_to_its_communes(page):
    text = page("/pessac/qui-contacter/", commune="Saint-Émilion", probleme="lampadaire")
    assert "Aucune commune ne correspond" in text
    text = page("/pessac/qui-contacter/", commune="Pessac", probleme="lampadaire")
    assert "Pessac s’en occupe" in text
