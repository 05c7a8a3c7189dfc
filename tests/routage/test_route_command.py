"""`socle route` answers in plain French or JSON, and fails with the API's messages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]


def route(*args: str) -> str:
    out = StringIO()
    call_command("route", *args, stdout=out)
    return out.getvalue()


def test_it_describes_who_handles_a_competence(gironde):
    text = route("--lat", "44.8945", "--lon", "-0.1557", "--competence", "eclairage-public")
    assert "Commune : Saint-Émilion (33394)" in text
    assert "Titulaire : Saint-Émilion (commune 33394), non membre" in text
    assert "[defaut]" in text
    assert "Contact : mairie de Saint-Émilion" in text
    assert "Téléphone : 05 57 24 72 09" in text


def test_it_names_the_way_in_for_a_higher_holder(gironde):
    text = route("--lat", "44.8378", "--lon", "-0.5792", "--competence", "voirie")
    assert "Titulaire : Bordeaux Métropole (intercommunalité 243300316), non membre" in text
    assert "[loi]" in text
    assert "Contact (point d'entrée) : mairie de Bordeaux" in text


def test_it_answers_in_json(gironde):
    text = route("--lat", "44.8378", "--lon", "-0.5792", "--competence", "voirie", "--json")
    data = json.loads(text)
    assert data["commune"]["code"] == "33063"
    assert data["holder"]["reason"] == "loi"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--lat", "abc", "--lon", "-0.57", "--competence", "voirie"],
            "La latitude (paramètre « lat ») doit être un nombre décimal",
        ),
        (["--lat", "44.8", "--competence", "voirie"], "La longitude (paramètre « lon ») est"),
        (
            ["--lat", "95", "--lon", "-0.57", "--competence", "voirie"],
            "La latitude doit être un nombre entre -90 et 90.",
        ),
        (
            ["--lat", "44.8", "--lon", "-0.57", "--competence", "trottinettes"],
            "Compétence inconnue : « trottinettes ». Compétences valides : action-sociale",
        ),
        (["--lat", "0", "--lon", "0", "--competence", "voirie"], "hors de France"),
        (
            ["--lat", "44.9", "--lon", "-1.35", "--competence", "voirie"],
            "n'est dans aucune commune (en mer ou à l'étranger) ; la plus proche est",
        ),
    ],
)
def test_it_fails_with_the_apis_french_messages(gironde, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        route(*args)
