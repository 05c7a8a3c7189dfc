"""A draft keeps the file of a field its condition hides (an autosave after a « non » must not
delete it: answering « oui » again finds it); filing drops it with its encrypted file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from socle.citoyen.models import FichierChiffre
from socle.demarches import depot
from socle.demarches.models import PieceJointe
from socle.demarches.saisie import FormData
from tests.observatoire.fixtures_contrib import pdf_bytes

SCHEMA = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {"cle": "nom", "type": "texte", "libelle": "Nom"},
                {"cle": "garde", "type": "oui_non", "libelle": "Garde alternée"},
                {
                    "cle": "jugement",
                    "type": "fichier",
                    "libelle": "Jugement",
                    "condition": {"champ": "garde", "valeur": "oui"},
                },
            ],
        }
    ]
}


@pytest.fixture
def draft(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac, SCHEMA)
    return depot.dossier_start(usager=citizen, demarche=demarche)


def _save(citizen, draft, data, files=None):
    return depot.dossier_draft_save(
        usager=citizen, dossier=draft, page=0, data=FormData(data), files=files
    ).dossier


def test_it_keeps_a_hidden_fields_file_until_filing(draft, citizen):
    upload = MultiValueDict({"f-jugement": [SimpleUploadedFile("j.pdf", pdf_bytes("j"))]})
    saved = _save(citizen, draft, {"f-nom": ["Martin"], "f-garde": ["oui"]}, upload)
    answer = saved.donnees["jugement"]
    pk = str(answer["piece_jointe"])
    # The autosave after « non »: the page posts its hidden file input as it is.
    saved = _save(
        citizen, draft, {"f-nom": ["Martin"], "f-garde": ["non"], "f-jugement-garder": [pk]}
    )
    assert saved.donnees["jugement"] == answer
    assert PieceJointe.objects.filter(pk=pk).exists()
    # « oui » again: the file is there.
    saved = _save(
        citizen, draft, {"f-nom": ["Martin"], "f-garde": ["oui"], "f-jugement-garder": [pk]}
    )
    assert saved.donnees["jugement"] == answer
    # Filed while hidden: the answer and the file are gone.
    saved = _save(
        citizen, draft, {"f-nom": ["Martin"], "f-garde": ["non"], "f-jugement-garder": [pk]}
    )
    fichier_id = PieceJointe.objects.get(pk=pk).fichier_id
    filed = depot.dossier_file(usager=citizen, reference=saved.reference, jeton=depot.token_new())
    assert filed.statut == "depose" and "jugement" not in filed.donnees
    assert not PieceJointe.objects.filter(pk=pk).exists()
    assert not FichierChiffre.objects.filter(pk=fichier_id).exists()


def test_it_still_drops_a_hidden_fields_file_the_citizen_removed(draft, citizen):
    upload = MultiValueDict({"f-jugement": [SimpleUploadedFile("j.pdf", pdf_bytes("j"))]})
    saved = _save(citizen, draft, {"f-garde": ["oui"]}, upload)
    pk = str(saved.donnees["jugement"]["piece_jointe"])
    saved = _save(
        citizen,
        draft,
        {"f-garde": ["non"], "f-jugement-garder": [pk], "f-jugement-retirer": ["1"]},
    )
    assert "jugement" not in saved.donnees
    assert not PieceJointe.objects.filter(pk=pk).exists()
