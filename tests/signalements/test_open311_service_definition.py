"""GET services/{code}: the attributes are the member's questions for that category."""

from socle.signalements.models import Categorie, Question
from tests.helpers.open311 import both, errors, get

METROPOLE = "243300316"


def test_it_gives_the_members_questions_as_attributes(client, demo_members):
    metropole = demo_members.metropole
    pothole = Categorie.objects.get(code="nid-de-poule", membre=None)
    Question.objects.create(
        membre=metropole,
        categorie=pothole,
        code="profondeur",
        libelle="Profondeur en centimètres",
        kind=Question.Kind.NOMBRE,
        obligatoire=True,
        ordre=1,
        aide="Une estimation suffit.",
    )
    Question.objects.create(
        membre=metropole,
        categorie=pothole,
        code="voie",
        libelle="Sur quelle voie ?",
        kind=Question.Kind.CHOIX,
        choix=[["chaussee", "Chaussée"], ["piste", "Piste cyclable"]],
        ordre=2,
    )
    Question.objects.create(
        membre=metropole,
        categorie=pothole,
        code="danger",
        libelle="Danger immédiat ?",
        kind=Question.Kind.OUI_NON,
        ordre=3,
    )
    definition, root = both(client, "services/nid-de-poule", jurisdiction_id=METROPOLE)
    assert root == "service_definition"
    assert definition["service_code"] == "nid-de-poule"
    depth, lane, danger = definition["attributes"]
    assert depth == {
        "variable": True,
        "code": "profondeur",
        "datatype": "number",
        "required": True,
        "datatype_description": "Une estimation suffit.",
        "order": 1,
        "description": "Profondeur en centimètres",
    }
    assert lane["datatype"] == "singlevaluelist" and lane["required"] is False
    assert lane["values"] == [
        {"key": "chaussee", "name": "Chaussée"},
        {"key": "piste", "name": "Piste cyclable"},
    ]
    assert danger["datatype"] == "singlevaluelist"
    assert [value["key"] for value in danger["values"]] == ["oui", "non"]


def test_it_has_no_attributes_without_a_jurisdiction(client, db):
    definition, _root = both(client, "services/eclairage")
    assert definition == {"service_code": "eclairage", "attributes": []}


def test_it_answers_404_for_an_unknown_service(client, demo_members):
    for fmt in ("json", "xml"):
        response, _data = get(client, "services/inconnu", fmt)
        assert response.status_code == 404
        [error] = errors(response)
        assert error["code"] == 404 and "service_code" in error["description"]
    # Pessac does not handle roads.
    response, _data = get(client, "services/nid-de-poule", "json", jurisdiction_id="33318")
    assert response.status_code == 404
