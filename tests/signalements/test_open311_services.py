"""GET services: the platform's taxonomy without a jurisdiction; with one, the categories that
member offers, as it renamed or switched them off, its own, and metadata when it asks questions."""

from socle.signalements.models import Categorie, CategorieReglage, Question
from tests.helpers.open311 import both, errors, get

METROPOLE = "243300316"
PESSAC = "33318"


def _by_code(services):
    return {service["service_code"]: service for service in services}


def test_it_lists_the_platform_taxonomy_without_a_jurisdiction(client, db):
    services, root = both(client, "services")
    assert root == "services"
    codes = _by_code(services)
    assert {"nid-de-poule", "eclairage", "depot-sauvage", "fuite-eau"} <= set(codes)
    pothole = codes["nid-de-poule"]
    assert pothole["service_name"] == "Nid-de-poule, chaussée abîmée"
    assert pothole["metadata"] is False
    assert pothole["type"] == "realtime"
    assert pothole["group"]
    assert pothole["description"].startswith("Trou")


def test_it_lists_what_a_member_offers_as_it_set_it(client, demo_members):
    metropole = demo_members.metropole
    pothole = Categorie.objects.get(code="nid-de-poule", membre=None)
    CategorieReglage.objects.create(membre=metropole, categorie=pothole, nom="Trou dans la route")
    CategorieReglage.objects.create(
        membre=metropole,
        categorie=Categorie.objects.get(code="trottoir", membre=None),
        active=False,
    )
    own = Categorie.objects.create(
        code="tram-quai",
        nom="Quai de tram abîmé",
        competence=pothole.competence,
        membre=metropole,
    )
    Question.objects.create(membre=metropole, categorie=own, code="ligne", libelle="Ligne ?")

    services, _root = both(client, "services", jurisdiction_id=METROPOLE)
    codes = _by_code(services)
    assert codes["nid-de-poule"]["service_name"] == "Trou dans la route"
    assert "trottoir" not in codes
    assert codes["tram-quai"]["metadata"] is True
    assert codes["nid-de-poule"]["metadata"] is False
    # The Métropole handles roads and water, not the communes' lighting.
    assert "fuite-eau" in codes and "eclairage" not in codes

    pessac, _root = both(client, "services", jurisdiction_id=PESSAC)
    assert "eclairage" in _by_code(pessac) and "tram-quai" not in _by_code(pessac)
    assert "nid-de-poule" not in _by_code(pessac)


def test_it_answers_404_for_an_unknown_jurisdiction(client, demo_members):
    for fmt in ("json", "xml"):
        response, _data = get(client, "services", fmt, jurisdiction_id="99999")
        assert response.status_code == 404
        [error] = errors(response)
        assert error["code"] == 404 and "jurisdiction_id" in error["description"]
    # Saint-Émilion is a collectivité, but not a member.
    response, _data = get(client, "services", "json", jurisdiction_id="33394")
    assert response.status_code == 404
