"""The address page without JavaScript: type it, pick the national base's suggestion, saved
with its commune code and point; kept as typed when the search does not answer."""

import html
import re

from socle.citoyen.models import Adresse
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture

URL = "/comptes/espace/adresses/ajouter/"
TYPED = {
    "libelle": "Domicile",
    "voie": "25 avenue jean jaures",
    "complement": "",
    "code_postal": "33600",
    "commune_nom": "pessac",
    "principale": "on",
}


def test_it_saves_the_suggestion_the_citizen_picks(client, citizen, fake_adresse):  # noqa: F811
    client.force_login(citizen)
    page = html.unescape(client.post(URL, TYPED).content.decode())
    assert "Laquelle de ces adresses est la vôtre ?" in page
    assert not Adresse.objects.exists()
    pattern = r'name="lieu" value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)<'
    choices = {label: value for value, label in re.findall(pattern, page)}
    assert "25 Avenue Jean Jaurès 33600 Pessac" in choices

    response = client.post(
        URL, {**TYPED, "etape": "choix", "lieu": choices["25 Avenue Jean Jaurès 33600 Pessac"]}
    )
    assert response.status_code == 302
    adresse = Adresse.objects.get(usager=citizen)
    assert (adresse.voie, adresse.code_postal, adresse.commune_nom) == (
        "25 Avenue Jean Jaurès",
        "33600",
        "Pessac",
    )
    assert adresse.commune_code == "33318" and adresse.lat == 44.8082 and adresse.principale


def test_it_refuses_a_tampered_choice(client, citizen, fake_adresse):  # noqa: F811
    client.force_login(citizen)
    response = client.post(URL, {**TYPED, "etape": "choix", "lieu": "forged"})
    assert response.status_code == 400
    assert "Choisissez une des adresses proposées." in html.unescape(response.content.decode())
    assert not Adresse.objects.exists()


def test_it_keeps_the_address_as_typed_when_the_search_fails(
    client,
    citizen,
    fake_adresse,  # noqa: F811
):
    fake_adresse.app.fail_status = 503
    client.force_login(citizen)
    assert client.post(URL, TYPED).status_code == 302
    adresse = Adresse.objects.get(usager=citizen)
    assert (adresse.voie, adresse.commune_code, adresse.lat) == ("25 avenue jean jaures", "", None)
