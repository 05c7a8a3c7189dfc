"""What a citizen may keep in the file: PDF, JPEG, PNG, told by their content, not too large;
each refusal in French, next to the file field, with the other fields' errors."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socle.citoyen.models import FichierChiffre, Piece
from socle.citoyen.services import piece_add
from tests.citoyen.helpers import PDF, add_piece, png


def _refused(user, upload, **extra) -> dict:
    with pytest.raises(ValidationError) as caught:
        add_piece(user, upload=upload, **extra)
    assert not Piece.objects.exists() and not FichierChiffre.objects.exists()
    return caught.value.message_dict


def test_it_refuses_a_program_whose_name_says_pdf(citizen):
    program = SimpleUploadedFile("facture.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    errors = _refused(citizen, program)
    assert errors["fichier"] == [
        "Ce fichier est un programme Windows : seuls les formats PDF, PNG, JPG sont acceptés."
    ]


def test_it_refuses_a_format_the_file_does_not_take(citizen):
    text = SimpleUploadedFile("avis.pdf", "Avis d’imposition 2025\n".encode())
    errors = _refused(citizen, text)
    assert errors["fichier"] == [
        "Ce fichier est au format TXT : seuls les formats PDF, PNG, JPG sont acceptés ici."
    ]


def test_it_names_an_image_by_its_content(citizen):
    piece = add_piece(citizen, upload=png("scan.pdf"), type="livret_famille")
    assert piece.fichier.nom == "scan.png"
    assert piece.fichier.type_mime == "image/png"


def test_it_refuses_an_oversized_file(citizen, settings):
    settings.CITOYEN_DOCUMENT_MAX_BYTES = 100
    errors = _refused(citizen, SimpleUploadedFile("gros.pdf", PDF))
    assert errors["fichier"] == ["Ce fichier dépasse la taille permise (100 octets)."]


class _Declared200MB:
    """An upload that says it holds 200 MB and must never be read."""

    name = "enorme.pdf"
    size = 200 * 1024 * 1024

    def read(self, *args):
        raise AssertionError("a file declared too large was read")

    def seekable(self):
        return True

    def seek(self, *args):
        raise AssertionError("a file declared too large was touched")


def test_it_refuses_a_declared_200_mb_file_without_reading_it(citizen):
    errors = _refused(citizen, _Declared200MB())
    assert errors["fichier"] == ["Ce fichier dépasse la taille permise (10 Mo)."]


def test_it_reports_every_field_in_one_round(citizen):
    from datetime import timedelta

    tomorrow = timezone.localdate() + timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        piece_add(
            usager=citizen,
            type="carte_de_fidelite",
            libelle="x" * 151,
            upload=None,
            date_document=tomorrow,
        )
    assert set(caught.value.message_dict) == {"type", "libelle", "fichier", "date_document"}
    assert caught.value.message_dict["fichier"] == ["Choisissez le fichier à ajouter."]
