"""A too-large upload is refused as it arrives (413, in French), never written whole to disk."""

import pytest
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory

from socle.core.uploads import LimitedUploadHandler
from socle.demarches import depot


def test_it_refuses_a_body_declared_too_large_before_reading_it(
    client, demo_members, demarche_factory, citizen
):
    demarche = demarche_factory(demo_members.pessac)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    client.force_login(citizen)
    response = client.post(
        f"/demarches/dossiers/{dossier.reference}/page/1/",
        {"page": "0", "f-nom": "Martin"},
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text and "60 Mo" in response.text
    dossier.refresh_from_db()
    assert "nom" not in dossier.donnees


def test_it_stops_counting_chunks_past_the_limit():
    request = RequestFactory().post("/")
    handler = LimitedUploadHandler(request, max_bytes=1024)
    assert handler.receive_data_chunk(b"x" * 1000, 0) == b"x" * 1000
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 100, 1000)
    assert stopped.value.connection_reset and request.upload_too_large
