"""POST requests refused as the specification says: 403 without a valid key of the right scope
and member, 429 past the key's rate, 400 for what is missing or wrong (in French), 404 for an
unknown jurisdiction — and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socle.api.models import ApiKey
from socle.api.services import api_key_revoke
from socle.signalements.models import Categorie, Question, Signalement
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture
from tests.helpers.open311 import V2, api_key, errors
from tests.signalements.conftest import PESSAC, SAINT_EMILION

LONDON = (51.5074, -0.1278)


def _fields(key, point=PESSAC, **extra):
    return {
        "api_key": key,
        "service_code": "nid-de-poule",
        "lat": str(point[0]),
        "long": str(point[1]),
        "description": "Un trou.",
        **extra,
    }


def _refused(client, data, status, *, fmt="json"):
    response = client.post(f"{V2}requests.{fmt}", data)
    assert response.status_code == status, response.content
    found = errors(response)
    assert found and all(error["code"] == status for error in found)
    assert not Signalement.objects.exists()
    return [error["description"] for error in found], response


def test_it_refuses_a_missing_invalid_or_revoked_key_with_403(client, demo_members):
    for fmt in ("json", "xml"):
        [text], _r = _refused(client, _fields(""), 403, fmt=fmt)
        assert "api_key" in text
        _refused(client, _fields("socle_pas-une-vraie-cle"), 403, fmt=fmt)
    key = api_key()
    api_key_revoke(acting_user=None, key=ApiKey.objects.get())
    [text], _r = _refused(client, _fields(key), 403)
    assert "révoquée" in text


def test_it_refuses_a_key_without_the_scope(client, demo_members):
    key = api_key()
    # Only this module declares a scope today: a key of another module's scope, as stored.
    ApiKey.objects.update(scopes=["opendata.lire"])
    [text], _r = _refused(client, _fields(key), 403)
    assert "signalements.open311" in text


def test_it_refuses_a_members_key_where_another_collectivite_acts(client, demo_members):
    # Pessac's key, for a pothole in Pessac: the Métropole handles roads.
    [text], _r = _refused(client, _fields(api_key(membre=demo_members.pessac)), 403)
    assert "Bordeaux Métropole" in text
    # Nor for a non-member's territory.
    key = api_key(membre=demo_members.metropole)
    _refused(client, _fields(key, SAINT_EMILION, service_code="eclairage"), 403)


def test_it_answers_429_past_the_keys_rate(client, demo_members):
    key = api_key(rate=1)
    ok = client.post(f"{V2}requests.json", _fields(key))
    assert ok.status_code == 200
    Signalement.objects.all().delete()
    [text], response = _refused(client, _fields(key), 429)
    assert int(response["Retry-After"]) >= 1 and "Trop de requêtes" in text


def test_it_refuses_missing_or_wrong_fields_with_400(client, demo_members):
    key = api_key()
    for fmt in ("json", "xml"):
        _refused(client, _fields(key, service_code=""), 400, fmt=fmt)
    _refused(client, {"api_key": key, "service_code": "nid-de-poule"}, 400)
    _refused(client, _fields(key, lat="quarante-quatre"), 400)
    [text], _r = _refused(client, _fields(key, description=""), 400)
    assert text == "description : Décrivez le problème."
    texts, _r = _refused(client, _fields(key, service_code="inconnu", email="pas-une-adresse"), 400)
    assert len(texts) == 2 and any(t.startswith("email : ") for t in texts)


def test_it_refuses_a_place_outside_france(client, demo_members):
    [text], _r = _refused(client, _fields(api_key(), LONDON), 400)
    assert "aucune commune" in text


@pytest.mark.usefixtures("fake_adresse")
def test_it_refuses_an_address_it_cannot_find(client, demo_members):
    data = _fields(api_key(), address_string="Rue qui n’existe nulle part")
    del data["lat"], data["long"]
    [text], _r = _refused(client, data, 400)
    assert "address_string" in text


def test_it_refuses_a_bad_attribute(client, demo_members):
    Question.objects.create(
        membre=demo_members.metropole,
        categorie=Categorie.objects.get(code="nid-de-poule", membre=None),
        code="profondeur",
        libelle="Profondeur (cm)",
        kind=Question.Kind.NOMBRE,
        obligatoire=True,
    )
    [text], _r = _refused(client, _fields(api_key(), **{"attribute[profondeur]": "beaucoup"}), 400)
    assert text == "attribute[profondeur] : « Profondeur (cm) » attend un nombre."
    [text], _r = _refused(client, _fields(api_key()), 400)
    assert text.startswith("attribute[profondeur] : Répondez")


def test_it_refuses_a_file_that_is_not_a_photo(client, demo_members):
    fake = SimpleUploadedFile("trou.jpg", b"MZ\x90\x00 pas une image", "image/jpeg")
    [text], _r = _refused(client, _fields(api_key(), media=fake), 400)
    assert text.startswith("media : trou.jpg : Ce fichier n’est pas une photo acceptée")


def test_it_answers_404_for_an_unknown_jurisdiction(client, demo_members):
    _refused(client, _fields(api_key(), jurisdiction_id="00000"), 404)


def test_it_refuses_a_jurisdiction_that_does_not_act_there(client, demo_members):
    [text], _r = _refused(client, _fields(api_key(), jurisdiction_id="33318"), 400)
    assert "Bordeaux Métropole" in text
