"""A member's key reads only its member's procedures and filed dossiers: never a draft, never
another member's dossier (a 404, as an unknown one), never another member's address (403)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socle.demarches.models import BROUILLON
from tests.demarches.factories import bearer, make_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(demo_members, citizen, demarche_factory, dossier_factory):
    pessac = demo_members.pessac
    cantine = demarche_factory(pessac, slug="cantine")
    _key, plaintext = make_key(pessac, acting_user=demo_members.admin_pessac)
    return {
        "key": plaintext,
        "filed": dossier_factory(cantine, usager=citizen),
        "draft": dossier_factory(cantine, usager=citizen, statut=BROUILLON),
        "other": dossier_factory(membre=demo_members.bordeaux, usager=citizen),
    }


def test_it_lists_the_members_procedures_with_their_form(client, data):
    response = client.get("/api/v1/demarches/pessac", **bearer(data["key"]))
    assert response.status_code == 200
    [demarche] = response.json()["results"]
    assert (demarche["code"], demarche["etat"], demarche["version"]) == ("cantine", "publiee", 1)
    assert demarche["formulaire"]["pages"][0]["champs"][0]["cle"] == "nom"


def test_it_lists_only_filed_dossiers_of_the_member_without_personal_data(client, data):
    response = client.get("/api/v1/demarches/pessac/dossiers", **bearer(data["key"]))
    assert response.status_code == 200
    assert [d["reference"] for d in response.json()["results"]] == [data["filed"].reference]
    assert "Dupont" not in response.content.decode()


def test_another_members_dossier_is_unknown(client, data):
    for reference in (data["other"].reference, data["draft"].reference, "D-XXXX-XXXX"):
        response = client.get(
            f"/api/v1/demarches/pessac/dossiers/{reference}", **bearer(data["key"])
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "dossier_inconnu"


def test_another_members_address_is_refused(client, data):
    response = client.get("/api/v1/demarches/bordeaux/dossiers", **bearer(data["key"]))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "membre_non_autorise"


def test_it_pages_with_a_stable_cursor_and_filters(client, data, citizen, dossier_factory):
    cantine = data["filed"].demarche
    now = timezone.now()
    more = [
        dossier_factory(cantine, usager=citizen, depose_le=now - timedelta(minutes=m))
        for m in (30, 20, 10)
    ]
    more[1].statut = "accepte"
    more[1].save(update_fields=["statut"])
    url = "/api/v1/demarches/pessac/dossiers?page_size=2"
    seen = []
    while url:
        page = client.get(url, **bearer(data["key"])).json()
        assert len(page["results"]) <= 2
        seen += [d["reference"] for d in page["results"]]
        url = page["next"]
    assert seen == [data["filed"].reference, *[d.reference for d in more]]

    def references(query):
        response = client.get(f"/api/v1/demarches/pessac/dossiers?{query}", **bearer(data["key"]))
        return [d["reference"] for d in response.json()["results"]]

    assert references("statut=accepte") == [more[1].reference]
    since = (now - timedelta(minutes=15)).isoformat().replace("+", "%2B")
    assert references(f"depose_depuis={since}") == [more[2].reference]
    assert references("demarche=autre") == []
    for bad in ("page_size=201", "page_size=0", "depose_depuis=hier", "curseur=%%%"):
        response = client.get(f"/api/v1/demarches/pessac/dossiers?{bad}", **bearer(data["key"]))
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "parametre_invalide"
