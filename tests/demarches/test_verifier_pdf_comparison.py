"""An uploaded PDF is compared with the issued one, byte for byte."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socle.citoyen.chiffrement import fichier_read
from socle.demarches.documents import document_generate, document_request
from socle.demarches.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_env")]


def _post(client, document, content: bytes, name: str = "recepisse.pdf"):
    return client.post(
        f"/verifier/{document.code}/",
        {"fichier": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_it_tells_an_identical_copy_from_an_altered_one(client, dossier):
    document = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)
    document_generate(document)
    document.refresh_from_db()
    original = fichier_read(document.fichier)

    response = _post(client, document, original)
    assert response.status_code == 200
    assert "identique, octet pour octet" in response.content.decode()

    altered = original.replace(b"/Producer", b"/Producex", 1)
    assert altered != original
    response = _post(client, document, altered)
    assert response.status_code == 200
    assert "n’est pas identique au document délivré" in response.content.decode()

    response = _post(client, document, b"GIF89a not a pdf", name="image.pdf")
    assert response.status_code == 400
    assert "identique" not in response.content.decode().split("Comparer avec")[1].split("<form")[0]
