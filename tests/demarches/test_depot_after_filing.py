"""After filing: the citizen writes to the service and provides a requested document."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from socle.citoyen.chiffrement import fichier_store
from socle.citoyen.models import Piece
from socle.demarches import depot
from socle.demarches.models import DemandePiece, Envoi, Evenement
from tests.observatoire.fixtures_contrib import exe_bytes, pdf_bytes


@pytest.fixture
def filed(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    dossier.donnees = {"nom": "Martin"}
    dossier.save(update_fields=["donnees"])
    return depot.dossier_file(usager=citizen, reference=dossier.reference, jeton=depot.token_new())


def test_it_sends_a_message_with_attachments_to_the_service(filed, citizen):
    message = depot.dossier_message_from_usager(
        usager=citizen,
        dossier=filed,
        texte="Voici le certificat.",
        files=[SimpleUploadedFile("certificat.pdf", pdf_bytes())],
    )
    assert message.de_usager and message.pieces_jointes.count() == 1
    assert Evenement.objects.filter(
        dossier=filed, kind=Evenement.Kind.MESSAGE, visible_usager=True
    ).exists()
    assert Envoi.objects.filter(
        dossier=filed, destinataire="service", objet__startswith="Message"
    ).exists()
    with pytest.raises(ValidationError) as raised:
        depot.dossier_message_from_usager(
            usager=citizen,
            dossier=filed,
            texte=" ",
            files=[SimpleUploadedFile("photo.pdf", exe_bytes())],
        )
    assert set(raised.value.message_dict) == {"texte", "fichiers"}


def test_it_fulfils_a_request_by_upload_or_from_the_file(filed, citizen):
    first = DemandePiece.objects.create(dossier=filed, libelle="Livret de famille")
    second = DemandePiece.objects.create(dossier=filed, libelle="Justificatif de domicile")
    jointe = depot.demande_piece_fulfil(
        usager=citizen,
        dossier=filed,
        demande=first,
        upload=SimpleUploadedFile("livret.pdf", pdf_bytes()),
    )
    first.refresh_from_db()
    assert first.fournie_le is not None and jointe.demande == first
    fichier = fichier_store(
        content=pdf_bytes(), nom="edf.pdf", type_mime="application/pdf", proprietaire=citizen
    )
    piece = Piece.objects.create(usager=citizen, type="justificatif_domicile", fichier=fichier)
    copy = depot.demande_piece_fulfil(usager=citizen, dossier=filed, demande=second, piece=piece)
    assert copy.depuis_dossier_citoyen and copy.fichier_id != fichier.pk
    assert Evenement.objects.filter(dossier=filed, kind=Evenement.Kind.PIECE_FOURNIE).count() == 2
    with pytest.raises(ValidationError):
        depot.demande_piece_fulfil(
            usager=citizen,
            dossier=filed,
            demande=first,
            upload=SimpleUploadedFile("x.pdf", pdf_bytes()),
        )
