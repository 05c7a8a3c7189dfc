"""A draft: pre-filled from the citizen's file (marked, verified ones told), saved as typed
(invalid text kept), a document of the file attached as a copy, deleted with its files."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from socle.citoyen.chiffrement import fichier_read, fichier_store
from socle.citoyen.models import FichierChiffre, Piece, Proche
from socle.comptes.models import Identity
from socle.demarches import depot
from socle.demarches.models import Dossier, PieceJointe
from socle.demarches.saisie import FormData
from tests.observatoire.fixtures_contrib import pdf_bytes

SCHEMA = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {
                    "cle": "prenom",
                    "type": "texte",
                    "libelle": "Prénom",
                    "prerempli": "usager.prenom",
                },
                {"cle": "nom", "type": "texte", "libelle": "Nom", "prerempli": "usager.nom"},
                {"cle": "naissance", "type": "date", "libelle": "Naissance"},
                {
                    "cle": "justificatif",
                    "type": "fichier",
                    "libelle": "Justificatif de domicile",
                    "piece_type": "justificatif_domicile",
                },
            ],
        },
        {
            "titre": "Enfants",
            "champs": [
                {
                    "cle": "enfants",
                    "type": "bloc",
                    "libelle": "Enfants",
                    "prerempli": "foyer.enfants",
                    "champs": [
                        {
                            "cle": "prenom",
                            "type": "texte",
                            "libelle": "Prénom",
                            "prerempli": "proche.prenom",
                        },
                        {
                            "cle": "naissance",
                            "type": "date",
                            "libelle": "Naissance",
                            "prerempli": "proche.date_naissance",
                        },
                        {"cle": "classe", "type": "texte", "libelle": "Classe"},
                    ],
                },
            ],
        },
    ]
}


@pytest.fixture
def demarche(demo_members, demarche_factory):
    return demarche_factory(demo_members.pessac, SCHEMA)


def _franceconnect(user):
    Identity.objects.create(
        user=user,
        provider=Identity.Provider.FRANCECONNECT,
        sub="fc-1",
        given_name="Camille",
        family_name="Dupont",
        verified_at=timezone.now(),
    )


def test_it_prefills_from_the_file_and_marks_what_franceconnect_verified(demarche, citizen):
    _franceconnect(citizen)
    Proche.objects.create(
        usager=citizen,
        lien=Proche.Lien.ENFANT,
        prenom="Léa",
        nom="Dupont",
        date_naissance=date(2016, 3, 1),
    )
    Proche.objects.create(usager=citizen, lien=Proche.Lien.CONJOINT, prenom="Alex", nom="Dupont")
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    assert dossier.donnees == {
        "prenom": "Camille",
        "nom": "Dupont",
        "enfants": [{"prenom": "Léa", "naissance": "2016-03-01"}],
    }
    assert depot.prefill_marks(dossier) == {
        "prenom": True,
        "nom": True,
        "enfants.0.prenom": False,
        "enfants.0.naissance": False,
    }
    # Starting again resumes the same draft.
    assert depot.dossier_start(usager=citizen, demarche=demarche).pk == dossier.pk
    # An answer changed is no longer « repris de votre dossier citoyen ».
    depot.dossier_draft_save(
        usager=citizen,
        dossier=dossier,
        page=0,
        data=FormData({"f-prenom": ["Camille"], "f-nom": ["Durand"]}),
    )
    dossier.refresh_from_db()
    assert depot.prefill_marks(dossier) == {
        "prenom": True,
        "enfants.0.prenom": False,
        "enfants.0.naissance": False,
    }


def test_it_keeps_what_was_typed_even_when_invalid(demarche, citizen):
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    saved = depot.dossier_draft_save(
        usager=citizen,
        dossier=dossier,
        page=0,
        data=FormData({"f-prenom": ["Camille"], "f-naissance": ["31/02/2016"]}),
    )
    assert list(saved.errors) == ["naissance"]
    dossier.refresh_from_db()
    assert dossier.donnees["prenom"] == "Camille"
    assert dossier.donnees["_brouillon"] == {"naissance": "31/02/2016"}
    # Corrected: the raw text goes.
    depot.dossier_draft_save(
        usager=citizen,
        dossier=dossier,
        page=0,
        data=FormData({"f-prenom": ["Camille"], "f-naissance": ["28/02/2016"]}),
    )
    dossier.refresh_from_db()
    assert dossier.donnees == {"prenom": "Camille", "naissance": "2016-02-28"}


def test_it_stores_an_upload_and_replaces_it(demarche, citizen):
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)

    def upload(name):
        return MultiValueDict({"f-justificatif": [SimpleUploadedFile(name, pdf_bytes(name))]})

    depot.dossier_draft_save(
        usager=citizen, dossier=dossier, page=0, data=FormData(), files=upload("a.pdf")
    )
    dossier.refresh_from_db()
    first = dossier.donnees["justificatif"]
    assert first["nom"] == "a.pdf"
    depot.dossier_draft_save(
        usager=citizen, dossier=dossier, page=0, data=FormData(), files=upload("b.pdf")
    )
    dossier.refresh_from_db()
    assert dossier.donnees["justificatif"]["nom"] == "b.pdf"
    # The replaced file is gone: only the answer's remains.
    assert list(PieceJointe.objects.filter(dossier=dossier).values_list("pk", flat=True)) == [
        dossier.donnees["justificatif"]["piece_jointe"]
    ]
    # Kept when the page comes back without a new one.
    depot.dossier_draft_save(
        usager=citizen,
        dossier=dossier,
        page=0,
        data=FormData(
            {"f-justificatif-garder": [str(dossier.donnees["justificatif"]["piece_jointe"])]}
        ),
    )
    dossier.refresh_from_db()
    assert dossier.donnees["justificatif"]["nom"] == "b.pdf"


def _piece(user, **extra):
    fichier = fichier_store(
        content=pdf_bytes("EDF"),
        nom="facture-edf.pdf",
        type_mime="application/pdf",
        proprietaire=user,
    )
    return Piece.objects.create(usager=user, type="justificatif_domicile", fichier=fichier, **extra)


def test_it_attaches_a_copy_of_a_document_of_the_file(demarche, citizen, other_citizen):
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    piece = _piece(citizen)
    jointe = depot.dossier_attach_from_file(
        usager=citizen, dossier=dossier, chemin="justificatif", piece=piece
    )
    assert jointe.depuis_dossier_citoyen and jointe.fichier_id != piece.fichier_id
    assert fichier_read(jointe.fichier) == fichier_read(piece.fichier)
    dossier.refresh_from_db()
    assert dossier.donnees["justificatif"]["piece_jointe"] == jointe.pk
    # Deleting it from the file leaves the dossier's copy whole.
    fichier = piece.fichier
    piece.delete()
    fichier.delete()
    assert fichier_read(FichierChiffre.objects.get(pk=jointe.fichier_id)).startswith(b"%PDF")
    # Another citizen's document, or a field that takes none: refused.
    with pytest.raises(Http404):
        depot.dossier_attach_from_file(
            usager=citizen, dossier=dossier, chemin="justificatif", piece=_piece(other_citizen)
        )
    with pytest.raises(ValidationError):
        depot.dossier_attach_from_file(
            usager=citizen, dossier=dossier, chemin="nom", piece=_piece(citizen)
        )


def test_it_deletes_a_draft_with_its_files(demarche, citizen):
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    jointe = depot.dossier_attach_from_file(
        usager=citizen, dossier=dossier, chemin="justificatif", piece=_piece(citizen)
    )
    depot.dossier_draft_delete(usager=citizen, dossier=dossier)
    assert not Dossier.objects.filter(pk=dossier.pk).exists()
    assert not FichierChiffre.objects.filter(pk=jointe.fichier_id).exists()
