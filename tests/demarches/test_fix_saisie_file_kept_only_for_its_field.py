"""A file already answered may be kept (« -garder ») only by the field it answers, and it is
checked again against that field (formats, size) when the dossier is filed."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from socle.demarches import depot
from socle.demarches.models import PieceJointe
from socle.demarches.saisie import FormData, answers_clean
from tests.observatoire.fixtures_contrib import pdf_bytes

SCHEMA = {
    "pages": [
        {
            "titre": "Pièces",
            "champs": [
                {"cle": "libre", "type": "fichier", "libelle": "Libre", "formats": ["pdf"]},
                {
                    "cle": "photo",
                    "type": "fichier",
                    "libelle": "Photo",
                    "formats": ["png", "jpeg"],
                    "taille_max_mo": 1,
                },
                {
                    "cle": "enfants",
                    "type": "bloc",
                    "libelle": "Enfants",
                    "champs": [{"cle": "certificat", "type": "fichier", "libelle": "Certificat"}],
                },
            ],
        }
    ]
}
ANSWER = {"piece_jointe": 7, "nom": "a.pdf", "taille": 3}


def test_it_keeps_a_file_only_in_the_field_it_answers():
    existing = {"libre": ANSWER}
    # Another field naming that file: not kept (the photo field accepts no PDF).
    donnees, errors = answers_clean(
        SCHEMA, FormData({"f-photo-garder": ["7"]}), page=0, existing=existing
    )
    assert "photo" not in donnees and errors == {}
    donnees, _errors = answers_clean(
        SCHEMA, FormData({"f-libre-garder": ["7"]}), page=0, existing=existing
    )
    assert donnees["libre"] == ANSWER
    # A block's row may move up (a row removed above): the same field, kept.
    rows = {"enfants": [{}, {"certificat": ANSWER}]}
    data = FormData({"f-enfants-lignes": ["1"], "f-enfants-0-certificat-garder": ["7"]})
    donnees, _errors = answers_clean(SCHEMA, data, page=0, existing=rows)
    assert donnees["enfants"] == [{"certificat": ANSWER}]
    # A huge pk is no pk.
    data = FormData({"f-libre-garder": ["9" * 5000]})
    assert "libre" not in answers_clean(SCHEMA, data, page=0, existing=existing)[0]


@pytest.fixture
def draft(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac, SCHEMA)
    return depot.dossier_start(usager=citizen, demarche=demarche)


def _upload(field, name="a.pdf"):
    return MultiValueDict({field: [SimpleUploadedFile(name, pdf_bytes(name))]})


def test_it_refuses_another_fields_file_when_saving_a_draft(draft, citizen):
    depot.dossier_draft_save(
        usager=citizen, dossier=draft, page=0, data=FormData(), files=_upload("f-libre")
    )
    draft.refresh_from_db()
    pk = draft.donnees["libre"]["piece_jointe"]
    saved = depot.dossier_draft_save(
        usager=citizen,
        dossier=draft,
        page=0,
        data=FormData({"f-libre-garder": [str(pk)], "f-photo-garder": [str(pk)]}),
    )
    assert "photo" not in saved.dossier.donnees
    assert saved.dossier.donnees["libre"]["piece_jointe"] == pk


def test_it_checks_a_kept_file_again_against_its_field_at_filing(draft, citizen):
    depot.dossier_draft_save(
        usager=citizen, dossier=draft, page=0, data=FormData(), files=_upload("f-libre")
    )
    draft.refresh_from_db()
    answer = draft.donnees["libre"]
    # The stored answers claim that PDF answers the photo field.
    PieceJointe.objects.filter(pk=answer["piece_jointe"]).update(champ="photo")
    draft.donnees = {"photo": answer}
    draft.save(update_fields=["donnees"])
    with pytest.raises(ValidationError) as raised:
        depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())
    assert list(raised.value.message_dict) == ["photo"]
    assert "format accepté" in raised.value.message_dict["photo"][0]
    draft.refresh_from_db()
    assert draft.statut == "brouillon"


def test_it_checks_a_kept_files_size_against_its_field(draft, citizen):
    depot.dossier_draft_save(
        usager=citizen, dossier=draft, page=0, data=FormData(), files=_upload("f-libre")
    )
    draft.refresh_from_db()
    piece = PieceJointe.objects.select_related("fichier").get(dossier=draft)
    piece.fichier.taille = 50 * 1024 * 1024  # over the field's 10 Mo
    piece.fichier.save(update_fields=["taille"])
    data = FormData({"f-libre-garder": [str(piece.pk)]})
    _donnees, errors = answers_clean(
        SCHEMA, data, page=0, existing=draft.donnees, pieces={piece.pk: piece}
    )
    assert list(errors) == ["libre"] and "taille acceptée" in errors["libre"]
    # A file the dossier does not hold (deleted meanwhile) is not kept.
    donnees, errors = answers_clean(SCHEMA, data, page=0, existing=draft.donnees, pieces={})
    assert "libre" not in donnees and errors == {}
