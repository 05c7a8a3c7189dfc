"""Reading a dossier or one of its attachments through the API is written in the personal-data
journal, in the name of the key's creator; a key nobody answers for reads no personal data."""

import pytest

from socle.journal.models import PersonalDataAccess
from tests.demarches.factories import bearer, make_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(dossier_factory, citizen):
    """The citizen's, with their answers and an attachment."""
    return dossier_factory(
        usager=citizen,
        nom="Camille Dupont",
        donnees={"nom": "Dupont", "email": "camille.dupont@example.fr"},
        pieces={"justificatif": ("avis.pdf", b"%PDF-1.4 justificatif")},
    )


def test_a_dossier_read_is_journaled(client, demo_members, dossier, citizen):
    admin = demo_members.admin_pessac
    key, plaintext = make_key(demo_members.pessac, acting_user=admin)
    piece = dossier.pieces_jointes.get()
    url = f"/api/v1/demarches/pessac/dossiers/{dossier.reference}"

    body = client.get(url, **bearer(plaintext)).json()

    assert body["donnees"] == {
        "nom": "Dupont",
        "email": "camille.dupont@example.fr",
        "justificatif": {"piece_jointe": piece.pk, "nom": "avis.pdf"},
    }
    assert body["usager"]["nom"] == "Camille Dupont"
    assert [p["nom"] for p in body["pieces"]] == ["avis.pdf"]
    assert {t["vers"] for t in body["transitions"]} == {
        "en_instruction",
        "accepte",
        "refuse",
        "sans_suite",
    }
    [entry] = PersonalDataAccess.objects.all()
    assert (entry.agent, entry.citizen, entry.membre) == (admin, citizen, demo_members.pessac)
    assert entry.channel == f"API démarches (clé {key.prefix})"
    assert entry.purpose == f"dossier {dossier.reference}"

    download = client.get(body["pieces"][0]["url"].split("testserver")[-1], **bearer(plaintext))
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 justificatif"
    assert download["Content-Type"] == "application/pdf"
    assert PersonalDataAccess.objects.count() == 2
    assert "avis.pdf" in PersonalDataAccess.objects.order_by("-pk").first().data

    other = client.get(f"{url}/pieces/{piece.pk + 1000}", **bearer(plaintext))
    assert other.json()["error"]["code"] == "piece_inconnue"


def test_a_key_nobody_answers_for_reads_no_personal_data(client, demo_members, dossier):
    _key, plaintext = make_key(demo_members.pessac, acting_user=None)
    url = f"/api/v1/demarches/pessac/dossiers/{dossier.reference}"

    response = client.get(url, **bearer(plaintext))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cle_sans_responsable"
    assert "Dupont" not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()
