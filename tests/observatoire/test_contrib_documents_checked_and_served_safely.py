"""A project's documents: the type is told from the content (never the name), size and zip
bombs are refused in French, and a document is served with its checked type, as an attachment,
in a sandbox; a private one, or one of a draft, is a 404 to anyone but its contributors."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from socle.core.fichiers import DocumentRefused, document_check, document_name
from socle.observatoire.models import Document, Revision
from socle.observatoire.services import revision_review
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_contrib import (
    docx_bytes,
    exe_bytes,
    gestion,
    lying_zip_bomb_docx,
    media,  # noqa: F401 - fixture
    pdf_bytes,
    zip_bomb_docx,
)

pytestmark = pytest.mark.usefixtures("media")


def _upload(client, membre, projet, name, content, public=True):
    data = {"fichier": SimpleUploadedFile(name, content, content_type="application/pdf")}
    if public:
        data["public"] = "on"
    return client.post(gestion(membre, "projet_documents", projet.pk), data)


def test_it_accepts_a_pdf_and_serves_it_as_an_attachment(
    client, demo_members, projet_publie, agent_pessac, operateur
):
    client.force_login(agent_pessac)
    response = _upload(
        client, demo_members.pessac, projet_publie, "Cahier des charges.pdf", pdf_bytes()
    )
    assert response.status_code == 302
    document = Document.objects.get(projet=projet_publie)
    # On a published page, the structure agrees before the document is public.
    assert (document.nom, document.type_mime, document.public) == (
        "Cahier des charges.pdf",
        "application/pdf",
        False,
    )
    client.logout()
    assert (
        client.get(
            f"/observatoire/projets/{projet_publie.slug}/documents/{document.pk}/"
        ).status_code
        == 404
    )
    pending = Revision.objects.get(projet=projet_publie, etat=Revision.Etat.EN_ATTENTE)
    revision_review(acting_user=operateur, revision=pending, accept=True)
    document.refresh_from_db()
    assert document.public
    client.force_login(agent_pessac)
    # Stored under a random name, never the uploaded one.
    assert "Cahier" not in document.fichier.name
    page = client.get(gestion(demo_members.pessac, "projet_documents", projet_publie.pk))
    assert "Cahier des charges.pdf" in page.content.decode()
    assert_accessible(page)

    client.logout()
    served = client.get(f"/observatoire/projets/{projet_publie.slug}/documents/{document.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert "Cahier des charges.pdf" in served["Content-Disposition"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(served.streaming_content) == pdf_bytes()


def test_it_refuses_a_program_renamed_pdf(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    response = _upload(client, demo_members.pessac, projet_pessac, "rapport.pdf", exe_bytes())
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ce fichier est un programme Windows" in text
    assert "Erreur" in text.split("</title>")[0]
    assert not Document.objects.exists()
    assert_accessible(response)


def test_it_refuses_a_file_over_the_size_limit(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    big = b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024)
    response = _upload(client, demo_members.pessac, projet_pessac, "gros.pdf", big)
    assert response.status_code == 413
    assert "Ce fichier dépasse la taille permise (10 Mo)" in response.content.decode()
    assert not Document.objects.exists()


def test_it_follows_the_size_setting(settings, demo_members, projet_pessac, agent_pessac):
    from socle.observatoire.services import document_add

    settings.OBSERVATOIRE_DOCUMENT_MAX_BYTES = 300
    with pytest.raises(Exception) as error:
        document_add(
            acting_user=agent_pessac,
            projet=projet_pessac,
            upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
        )
    assert "300 octets" in str(error.value)


def test_it_refuses_a_zip_bomb_disguised_as_a_docx(
    client, demo_members, projet_pessac, agent_pessac
):
    client.force_login(agent_pessac)
    response = _upload(client, demo_members.pessac, projet_pessac, "rapport.docx", zip_bomb_docx())
    assert response.status_code == 400
    assert "se décompresse en un volume démesuré" in response.content.decode()
    assert not Document.objects.exists()


def test_it_refuses_a_zip_bomb_whose_sizes_lie():
    with pytest.raises(DocumentRefused) as error:
        document_check(SimpleUploadedFile("rapport.docx", lying_zip_bomb_docx()))
    assert "endommagé" in error.value.message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("archive.docx", None, "archive ZIP"),
        ("macro.docx", "nested", "archive, programme ou chemin inhabituel"),
        ("slip.docx", "slip", "archive, programme ou chemin inhabituel"),
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "ancien format"),
        ("image.gif", b"GIF89a" + b"\0" * 40, "image GIF"),
        ("binaire.txt", b"\x00\x01\x02binary", "Ce type de fichier n’est pas accepté"),
        ("vide.pdf", b"", "vide"),
    ],
)
def test_it_says_why_a_file_is_refused(name, content, message):
    if content is None:
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "bonjour")
        content = buffer.getvalue()
    elif content == "nested":
        content = docx_bytes({"word/embeddings/autre.zip": b"PK\x03\x04"})
    elif content == "slip":
        content = docx_bytes({"../../etc/cron.d/x": b"*"})
    with pytest.raises(DocumentRefused) as error:
        document_check(SimpleUploadedFile(name, content))
    assert message in error.value.message


def test_it_tells_the_type_from_the_content_not_the_name():
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, "PNG")
    checked = document_check(SimpleUploadedFile("photo.pdf", png.getvalue()))
    assert (checked.type.code, checked.mime, checked.name) == ("png", "image/png", "photo.png")
    checked = document_check(SimpleUploadedFile("rapport", docx_bytes()))
    assert checked.type.code == "docx" and checked.name == "rapport.docx"
    checked = document_check(SimpleUploadedFile("budget.csv", "poste;montant\nécole;12\n".encode()))
    assert checked.mime == "text/csv; charset=utf-8"
    latin = "poste;montant\nécole;12\n".encode("cp1252")
    assert document_check(SimpleUploadedFile("b.txt", latin)).mime == (
        "text/plain; charset=windows-1252"
    )


def test_it_sanitises_the_name():
    assert document_name("../../secret/rapport.pdf", "pdf") == "rapport.pdf"
    assert document_name("C:\\Users\\x\\bilan final.PDF", "pdf") == "bilan final.pdf"
    # A right-to-left override would show « fdp.exe » as « exe.pdf ».
    assert document_name("fac\u202etxt.exe", "pdf") == "factxt.exe.pdf"
    assert document_name('a<b>:"c|?*.docx', "docx") == "a_b___c___.docx"
    assert document_name("   ", "png") == "document.png"
    assert len(document_name("x" * 500 + ".pdf", "pdf")) <= 154


def test_it_keeps_private_and_draft_documents_from_others(
    client, demo_members, projet_pessac, agent_pessac, agent_bordeaux, citizen, operateur
):
    from socle.observatoire.services import document_add, projet_publish, projet_submit

    public = document_add(
        acting_user=agent_pessac,
        projet=projet_pessac,
        upload=SimpleUploadedFile("public.pdf", pdf_bytes()),
    )
    private = document_add(
        acting_user=agent_pessac,
        projet=projet_pessac,
        upload=SimpleUploadedFile("interne.pdf", pdf_bytes()),
        public=False,
    )

    def status(user, document):
        client.logout()
        if user is not None:
            client.force_login(user)
        url = f"/observatoire/projets/{projet_pessac.slug}/documents/{document.pk}/"
        return client.get(url).status_code

    # A draft: only its contributors and the structure.
    for user in (None, citizen, agent_bordeaux):
        assert status(user, public) == 404
        assert status(user, private) == 404
    assert status(agent_pessac, private) == 200
    assert status(operateur, public) == 200

    projet_submit(acting_user=agent_pessac, projet=projet_pessac)
    projet_publish(acting_user=operateur, projet=projet_pessac)
    assert status(None, public) == 200
    assert status(citizen, private) == 404
    assert status(agent_bordeaux, private) == 404
    assert status(demo_members.admin_pessac, private) == 200
    # The slug of another project does not reach the document.
    client.logout()
    assert client.get(f"/observatoire/projets/autre/documents/{public.pk}/").status_code == 404


def test_it_deletes_a_document(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    _upload(client, demo_members.pessac, projet_pessac, "a.pdf", pdf_bytes())
    document = Document.objects.get()
    path = document.fichier.path
    url = gestion(demo_members.pessac, "projet_document_supprimer", projet_pessac.pk, document.pk)
    assert client.get(url).status_code == 405
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Document.objects.exists()
    import os

    assert not os.path.exists(path)
    history = client.get(gestion(demo_members.pessac, "projet_historique", projet_pessac.pk))
    assert "a.pdf" in history.content.decode()
