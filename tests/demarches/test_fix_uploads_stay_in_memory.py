"""Uploads to the dossiers' views (the public verification page, the agents' messages, the
citizen's form pages) are refused past their limit as they arrive (French 413) and, below it,
stay in memory: no clear copy in a temporary file, however large the file."""

import pytest
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
)
from django.http import HttpResponse
from django.test import Client, RequestFactory

from socle.core.uploads import upload_limited
from socle.demarches import depot
from socle.demarches.documents import document_request
from socle.demarches.models import Document, Message
from socle.demarches.views_instruction import ACTION_UPLOAD_MAX
from socle.demarches.views_verifier import COPIE_UPLOAD_MAX
from tests.demarches.factories import PDF

# Above FILE_UPLOAD_MAX_MEMORY_SIZE as the tests set it: Django would write it to disk.
LARGE_PDF = PDF + b"%" + b"x" * 8000 + b"\n"


@pytest.fixture
def temp_files(settings, tmp_path, monkeypatch):
    """Uploads over 1 KB go to a temporary file by Django's default; return the temporary files
    made (and keep them in a folder of this test)."""
    folder = tmp_path / "televersements"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    made: list[str] = []
    original = TemporaryUploadedFile.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self.temporary_file_path())

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", spy)
    return made, folder


def _multipart(files: dict) -> RequestFactory:
    return RequestFactory().post("/", files)


def test_the_setup_would_catch_a_temporary_file(temp_files):
    made, _folder = temp_files
    request = _multipart({"f": SimpleUploadedFile("a.pdf", LARGE_PDF)})
    assert isinstance(request.FILES["f"], TemporaryUploadedFile)
    assert len(made) == 1


def test_a_limited_view_keeps_a_large_allowed_upload_in_memory(temp_files):
    made, folder = temp_files
    seen = {}

    @upload_limited(1024 * 1024)
    def view(request):
        seen["file"] = request.FILES["f"]
        seen["on_disk"] = list(folder.iterdir())
        return HttpResponse("ok")

    request = _multipart({"f": SimpleUploadedFile("a.pdf", LARGE_PDF)})
    request._dont_enforce_csrf_checks = True
    assert view(request).status_code == 200
    assert isinstance(seen["file"], InMemoryUploadedFile)
    assert seen["file"].read() == LARGE_PDF
    assert seen["on_disk"] == [] and made == []


def test_a_limited_view_still_checks_csrf(db, temp_files):
    @upload_limited(1024 * 1024)
    def view(request):
        return HttpResponse("ok")

    request = _multipart({"f": SimpleUploadedFile("a.pdf", LARGE_PDF)})
    assert view(request).status_code == 403


# --- The public verification page ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _signing(documents_env):
    """The run's signing key: the verification tests issue real documents."""


def _verifiable(dossier) -> Document:
    document = document_request(dossier=dossier, kind=Document.Kind.RECEPISSE)
    import hashlib

    Document.objects.filter(pk=document.pk).update(sha256=hashlib.sha256(LARGE_PDF).hexdigest())
    return document


def test_the_verification_page_compares_a_large_copy_in_memory(client, dossier, temp_files):
    made, folder = temp_files
    document = _verifiable(dossier)
    response = client.post(
        f"/verifier/{document.code}/",
        {"fichier": SimpleUploadedFile("copie.pdf", LARGE_PDF, content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "identique, octet pour octet" in response.content.decode()
    assert made == [] and list(folder.iterdir()) == []


def test_the_verification_page_refuses_a_too_large_copy_as_it_arrives(client, dossier):
    document = _verifiable(dossier)
    response = client.post(
        f"/verifier/{document.code}/",
        {"fichier": SimpleUploadedFile("copie.pdf", b"%PDF-1.4\n" + b"x" * COPIE_UPLOAD_MAX)},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "21 Mo" in page


def test_the_verification_page_still_checks_csrf(dossier):
    document = _verifiable(dossier)
    response = Client(enforce_csrf_checks=True).post(
        f"/verifier/{document.code}/",
        {"fichier": SimpleUploadedFile("copie.pdf", LARGE_PDF)},
    )
    assert response.status_code == 403


# --- The agents' messages ------------------------------------------------------------------------


@pytest.fixture
def filed(dossier_factory):
    return dossier_factory()


def test_an_agents_large_attachment_stays_in_memory(client, demo_members, filed, temp_files):
    made, folder = temp_files
    client.force_login(demo_members.agent_pessac)
    response = client.post(
        f"/gestion/pessac/demarches/dossiers/{filed.reference}/message/",
        {
            "texte": "Voici le document.",
            "fichiers": [SimpleUploadedFile("note.pdf", LARGE_PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    assert Message.objects.filter(dossier=filed).count() == 1
    assert made == [] and list(folder.iterdir()) == []


def test_an_agents_too_large_message_is_refused_before_reading(client, demo_members, filed):
    client.force_login(demo_members.agent_pessac)
    response = client.post(
        f"/gestion/pessac/demarches/dossiers/{filed.reference}/message/",
        {"texte": "Voici le document."},
        CONTENT_LENGTH=str(ACTION_UPLOAD_MAX + 1),
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not Message.objects.filter(dossier=filed).exists()


# --- The citizen's form pages (limited before: now in memory too) --------------------------------


def test_a_form_pages_large_file_stays_in_memory(
    client, demo_members, demarche_factory, citizen, temp_files
):
    made, folder = temp_files
    demarche = demarche_factory(demo_members.pessac)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    client.force_login(citizen)
    response = client.post(
        f"/demarches/dossiers/{dossier.reference}/page/1/",
        {"page": "0", "f-nom": "Martin", "x": SimpleUploadedFile("a.pdf", LARGE_PDF)},
    )
    assert response.status_code in (200, 302)
    assert made == [] and list(folder.iterdir()) == []
