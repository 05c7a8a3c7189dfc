"""The public verification page confirms a document by its code, without personal data."""

import pytest
from django.urls import reverse

from socle.demarches.documents import document_generate, document_request
from socle.demarches.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_env")]


@pytest.fixture
def recepisse(dossier):
    document = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)
    document_generate(document)
    document.refresh_from_db()
    return document


def test_it_confirms_a_typed_code_without_personal_data(client, recepisse, citizen):
    typed = recepisse.code.lower().replace("-", " ")
    response = client.get(reverse("demarches-site:verifier"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verifier/{recepisse.code}/"

    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Document authentique" in html
    assert "Il n’a pas été révoqué" in html
    assert "Récépissé de dépôt — Inscription à la cantine" in html
    assert "Pessac" in html
    for personal in ("Camille", "Citoyenne", citizen.email, recepisse.dossier.reference):
        assert personal not in html


def test_it_answers_404_in_french_for_an_unknown_code(client, recepisse):
    response = client.get("/verifier/ABCD-EFGH-JKMN/")
    assert response.status_code == 404
    assert "Aucun document ne porte ce code" in response.content.decode()

    response = client.get(reverse("demarches-site:verifier"), {"code": "trop court"})
    assert response.status_code == 400
    assert "12 lettres et chiffres" in response.content.decode()


def test_it_limits_the_lookups_of_an_ip(client, recepisse, settings):
    settings.DEMARCHES_VERIFIER_LIMITE_IP_HEURE = 2
    url = f"/verifier/{recepisse.code}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
