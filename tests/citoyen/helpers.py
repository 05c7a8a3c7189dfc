"""Shared pieces of the citizen's file tests: a folder for the encrypted files, documents."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"(Justificatif de domicile de Camille Citoyenne, 12 rue des Lilas) Tj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def files_dir(settings, tmp_path):
    """Store the encrypted files of this test in its own folder."""
    settings.CITOYEN_FILES_DIR = tmp_path / "chiffres"
    return settings.CITOYEN_FILES_DIR


def pdf(name: str = "facture.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def add_piece(user, *, type="justificatif_domicile", upload=None, **extra):
    from socle.citoyen.services import piece_add

    return piece_add(usager=user, type=type, libelle="", upload=upload or pdf(), **extra)
