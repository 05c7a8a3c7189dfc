"""A document added to the citizen's file is refused past its limit as it arrives (French 413)
and, below it, never written in clear to a temporary file before it is encrypted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from socle.citoyen.chiffrement import fichier_read
from socle.citoyen.models import Piece
from socle.citoyen.views import PIECE_UPLOAD_MAX
from tests.citoyen.helpers import PDF

# Above Django's FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB): by default it would go to a temporary file.
LARGE_PDF = PDF + b"%" + b"x" * (3 * 1024 * 1024) + b"\n"


@pytest.fixture
def temp_files(settings, tmp_path, monkeypatch):
    """The temporary files Django makes for uploads during the test, in a folder of its own."""
    folder = tmp_path / "televersements"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    made: list[str] = []
    original = TemporaryUploadedFile.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self.temporary_file_path())

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", spy)
    return made, folder


def _post(client, content: bytes, **extra):
    return client.post(
        reverse("citoyen-site:pieces"),
        {
            "type": "justificatif_domicile",
            "fichier": SimpleUploadedFile("facture.pdf", content, "application/pdf"),
        },
        **extra,
    )


def test_a_large_document_is_encrypted_without_a_clear_temporary_file(client, citizen, temp_files):
    made, folder = temp_files
    client.force_login(citizen)
    response = _post(client, LARGE_PDF)
    assert response.status_code == 302
    piece = Piece.objects.get(usager=citizen)
    assert fichier_read(piece.fichier) == LARGE_PDF
    assert made == [] and list(folder.iterdir()) == []


def test_a_too_large_document_is_refused_as_it_arrives(client, citizen, temp_files):
    made, _folder = temp_files
    client.force_login(citizen)
    response = _post(client, PDF + b"%" + b"x" * PIECE_UPLOAD_MAX)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "11 Mo" in page
    assert not Piece.objects.filter(usager=citizen).exists()
    assert made == []


def test_a_declared_too_large_body_is_refused_before_reading(client, citizen):
    client.force_login(citizen)
    response = _post(client, PDF, CONTENT_LENGTH=str(PIECE_UPLOAD_MAX + 1))
    assert response.status_code == 413
    assert not Piece.objects.filter(usager=citizen).exists()
