"""Answers are validated field by field, each refusal with a French message on its path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from socle.demarches.saisie import FormData, NouveauFichier, answers_as_data, answers_clean


def _schema(*champs, page2=()):
    pages = [{"titre": "Page 1", "champs": list(champs)}]
    if page2:
        pages.append({"titre": "Page 2", "champs": list(page2)})
    return {"pages": pages}


def _clean(champ, value, **kwargs):
    data = FormData({k: v if isinstance(v, list) else [v] for k, v in value.items()})
    return answers_clean(_schema(champ), data, **kwargs)


def test_it_requires_required_fields_and_keeps_others_empty():
    schema = _schema(
        {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True},
        {"cle": "surnom", "type": "texte", "libelle": "Surnom"},
    )
    donnees, errors = answers_clean(schema, FormData({"f-nom": ["  "]}))
    assert errors == {"nom": "Ce champ est obligatoire."}
    assert donnees == {}


def test_it_bounds_texts_and_checks_their_pattern():
    champ = {
        "cle": "code",
        "type": "texte",
        "libelle": "Code",
        "longueur_max": 5,
        "motif": r"[A-Z]{2}\d+",
        "motif_message": "Deux lettres puis des chiffres.",
    }
    assert _clean(champ, {"f-code": "AB123456"})[1] == {
        "code": "5 caractères au plus : vous en avez saisi 8."
    }
    assert _clean(champ, {"f-code": "a1"})[1] == {"code": "Deux lettres puis des chiffres."}
    assert _clean(champ, {"f-code": "AB12"}) == ({"code": "AB12"}, {})


def test_it_reads_french_numbers_within_bounds():
    champ = {"cle": "n", "type": "nombre", "libelle": "N", "min": 0, "max": 100, "decimales": 2}
    assert _clean(champ, {"f-n": "12,5"}) == ({"n": 12.5}, {})
    assert "100" in _clean(champ, {"f-n": "100,01"})[1]["n"]
    assert _clean(champ, {"f-n": "1,234"})[1]["n"] == "2 chiffre(s) après la virgule au plus."
    assert _clean(champ, {"f-n": "douze"})[1]["n"].startswith("Saisissez un nombre")
    entier = {"cle": "n", "type": "nombre", "libelle": "N"}
    assert _clean(entier, {"f-n": "3,5"})[1]["n"] == "Saisissez un nombre entier, sans virgule."
    assert _clean(entier, {"f-n": "1 200"}) == ({"n": 1200}, {})


@pytest.mark.parametrize("typed", ["31/02/2020", "2021-02-29", "00/01/2020", "12/13/2020"])
def test_it_refuses_dates_that_do_not_exist(typed):
    champ = {"cle": "d", "type": "date", "libelle": "Date"}
    donnees, errors = _clean(champ, {"f-d": typed})
    assert donnees == {}
    assert errors["d"].startswith("Cette date n’existe pas")


def test_it_reads_typed_and_html_dates_and_applies_today_bounds():
    champ = {
        "cle": "d",
        "type": "date",
        "libelle": "Date",
        "max": "aujourdhui",
        "min": "1900-01-01",
    }
    assert _clean(champ, {"f-d": "29/02/2020"}) == ({"d": "2020-02-29"}, {})
    assert _clean(champ, {"f-d": "2020-02-29"}) == ({"d": "2020-02-29"}, {})
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    assert _clean(champ, {"f-d": tomorrow.isoformat()})[1] == {
        "d": "Cette date ne peut pas être dans le futur."
    }
    assert _clean(champ, {"f-d": "31/12/1899"})[1] == {
        "d": "La date doit être le 01/01/1900 ou après."
    }
    assert _clean(champ, {"f-d": "demain"})[1]["d"].startswith("Saisissez une date")


def test_it_checks_emails():
    champ = {"cle": "e", "type": "email", "libelle": "Courriel"}
    assert _clean(champ, {"f-e": "camille@exemple"})[1]["e"].startswith("Saisissez une adresse")
    assert _clean(champ, {"f-e": "camille@exemple.fr"}) == ({"e": "camille@exemple.fr"}, {})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("05.56.00.00.00", "+33556000000"),
        ("0690 12 34 56", "+590690123456"),
        ("+262 262 12 34 56", "+262262123456"),
    ],
)
def test_it_stores_french_phones_in_e164(typed, stored):
    champ = {"cle": "t", "type": "telephone", "libelle": "Téléphone"}
    assert _clean(champ, {"f-t": typed}) == ({"t": stored}, {})


@pytest.mark.parametrize("typed", ["+44 20 7946 0958", "+1 202 555 0143", "06 12 34", "abc"])
def test_it_refuses_foreign_and_wrong_phones(typed):
    champ = {"cle": "t", "type": "telephone", "libelle": "Téléphone"}
    donnees, errors = _clean(champ, {"f-t": typed})
    assert donnees == {} and "t" in errors


def test_it_takes_only_offered_choices():
    choix = [{"valeur": "a", "libelle": "A"}, {"valeur": "b", "libelle": "B"}, {"valeur": "c"}]
    unique = {"cle": "u", "type": "choix_unique", "libelle": "U", "choix": choix}
    assert _clean(unique, {"f-u": "z"})[1] == {"u": "Choisissez une des réponses proposées."}
    liste = {"cle": "l", "type": "liste", "libelle": "L", "choix": choix}
    assert _clean(liste, {"f-l": "b"}) == ({"l": "b"}, {})
    multiple = {
        "cle": "m",
        "type": "choix_multiple",
        "libelle": "M",
        "choix": choix,
        "min_choix": 2,
        "max_choix": 2,
    }
    assert _clean(multiple, {"f-m": ["c", "a"]}) == ({"m": ["a", "c"]}, {})
    assert _clean(multiple, {"f-m": ["a"]})[1] == {"m": "Cochez au moins 2 réponse(s)."}
    assert _clean(multiple, {"f-m": ["a", "b", "c"]})[1] == {"m": "Cochez au plus 2 réponse(s)."}
    assert _clean(multiple, {"f-m": ["a", "x"]})[1] == {
        "m": "Choisissez parmi les réponses proposées."
    }
    oui_non = {"cle": "o", "type": "oui_non", "libelle": "O", "obligatoire": True}
    assert _clean(oui_non, {"f-o": "non"}) == ({"o": False}, {})
    assert _clean(oui_non, {"f-o": "peut-être"})[1] == {"o": "Répondez par oui ou par non."}


def test_it_checks_iban_and_siret_keys():
    iban = {"cle": "i", "type": "iban", "libelle": "IBAN"}
    assert _clean(iban, {"f-i": "fr76 3000 6000 0112 3456 7890 189"}) == (
        {"i": "FR7630006000011234567890189"},
        {},
    )
    assert _clean(iban, {"f-i": "FR76 3000 6000 0112 3456 7890 188"})[1] == {
        "i": "Cet IBAN n’est pas valide : vérifiez-le (clé de contrôle)"
    }
    siret = {"cle": "s", "type": "siret", "libelle": "SIRET"}
    assert _clean(siret, {"f-s": "732 829 320 00074"}) == ({"s": "73282932000074"}, {})
    assert "chiffre de contrôle" in _clean(siret, {"f-s": "73282932000075"})[1]["s"]
    assert _clean(siret, {"f-s": "1234"})[1] == {"s": "Un numéro SIRET compte 14 chiffres."}


def test_it_finds_communes_that_exist(gironde, db):
    champ = {"cle": "c", "type": "commune", "libelle": "Commune"}
    assert _clean(champ, {"f-c": "pessac"}) == ({"c": {"code": "33318", "nom": "Pessac"}}, {})
    assert _clean(champ, {"f-c": "Pessac (33318)"})[0] == {"c": {"code": "33318", "nom": "Pessac"}}
    assert _clean(champ, {"f-c": "Atlantide"})[1] == {
        "c": "Nous ne connaissons pas cette commune : vérifiez son nom."
    }


def test_it_takes_a_structured_address_and_refuses_an_incomplete_one():
    champ = {"cle": "a", "type": "adresse", "libelle": "Adresse", "obligatoire": True}
    donnees, errors = _clean(
        champ,
        {
            "f-a-label": "1 Avenue Jean Jaurès 33600 Pessac",
            "f-a-commune_code": "33318",
            "f-a-lat": "44.8072",
            "f-a-lon": "-0.6295",
        },
    )
    assert errors == {}
    assert donnees["a"] == {
        "label": "1 Avenue Jean Jaurès, 33600 Pessac",
        "voie": "1 Avenue Jean Jaurès",
        "complement": "",
        "code_postal": "33600",
        "commune": "Pessac",
        "commune_code": "33318",
        "lat": 44.8072,
        "lon": -0.6295,
    }
    assert _clean(champ, {"f-a-voie": "1 rue X", "f-a-code_postal": "336", "f-a-commune": "P"})[
        1
    ] == {"a": "Le code postal compte 5 chiffres."}
    assert _clean(champ, {})[1] == {"a": "Ce champ est obligatoire."}


def test_it_validates_block_rows_and_their_count():
    champ = {
        "cle": "enfants",
        "type": "bloc",
        "libelle": "Enfants",
        "min_repetitions": 1,
        "max_repetitions": 3,
        "libelle_element": "Enfant",
        "champs": [
            {"cle": "prenom", "type": "texte", "libelle": "Prénom", "obligatoire": True},
            {"cle": "naissance", "type": "date", "libelle": "Naissance"},
        ],
    }
    donnees, errors = _clean(
        champ,
        {
            "f-enfants-lignes": "2",
            "f-enfants-0-prenom": "Léa",
            "f-enfants-0-naissance": "01/02/2015",
            "f-enfants-1-naissance": "31/02/2016",
        },
    )
    assert donnees == {"enfants": [{"prenom": "Léa", "naissance": "2015-02-01"}, {}]}
    assert set(errors) == {"enfants.1.prenom", "enfants.1.naissance"}
    assert _clean(champ, {"f-enfants-lignes": "0"})[1] == {"enfants": "Ajoutez au moins 1 enfant."}


def test_it_neither_validates_nor_keeps_hidden_fields():
    schema = _schema(
        {"cle": "allergie", "type": "oui_non", "libelle": "Allergie ?"},
        {
            "cle": "detail",
            "type": "texte",
            "libelle": "Laquelle",
            "obligatoire": True,
            "condition": {"champ": "allergie", "valeur": "oui"},
        },
        page2=[
            {
                "cle": "pai",
                "type": "date",
                "libelle": "PAI",
                "obligatoire": True,
                "condition": {"champ": "allergie", "valeur": "oui"},
            }
        ],
    )
    donnees, errors = answers_clean(
        schema, FormData({"f-allergie": ["non"], "f-detail": ["arachide"], "f-pai": ["31/02/2020"]})
    )
    assert (donnees, errors) == ({"allergie": False}, {})
    # Page by page: an answer of an earlier page decides whether a field is shown.
    donnees, errors = answers_clean(
        schema,
        FormData({"f-pai": ["01/01/2020"]}),
        page=1,
        existing={"allergie": True, "detail": "x"},
    )
    assert errors == {} and donnees == {"allergie": True, "detail": "x", "pai": "2020-01-01"}
    donnees, errors = answers_clean(
        schema, FormData({}), page=1, existing={"allergie": False, "pai": "2020-01-01"}
    )
    assert donnees == {"allergie": False} and errors == {}


def test_it_round_trips_answers_through_form_data():
    schema = _schema(
        {"cle": "n", "type": "nombre", "libelle": "N", "decimales": 1},
        {"cle": "o", "type": "oui_non", "libelle": "O"},
        {
            "cle": "m",
            "type": "choix_multiple",
            "libelle": "M",
            "choix": [{"valeur": "a"}, {"valeur": "b"}],
        },
        {"cle": "t", "type": "telephone", "libelle": "T"},
        {"cle": "f", "type": "fichier", "libelle": "F"},
    )
    donnees = {
        "n": 2.5,
        "o": False,
        "m": ["a", "b"],
        "t": "+33612345678",
        "f": {"piece_jointe": 7, "nom": "a.pdf", "taille": 3},
    }
    data = FormData(answers_as_data(schema, donnees))
    assert answers_clean(schema, data, existing=donnees) == (donnees, {})
    # A file kept must be one the dossier already answers with.
    assert answers_clean(schema, FormData({"f-f-garder": ["8"]}), existing=donnees)[0] == {}


def _file_field(**extra):
    return {"cle": "justificatif", "type": "fichier", "libelle": "Justificatif", **extra}


def _upload(name, content):
    return MultiValueDict({"f-justificatif": [SimpleUploadedFile(name, content)]})


def test_it_checks_uploads_by_their_content():
    from tests.observatoire.fixtures_contrib import exe_bytes, pdf_bytes

    donnees, errors = _clean(_file_field(), {}, files=_upload("facture.pdf", pdf_bytes()))
    assert errors == {} and isinstance(donnees["justificatif"], NouveauFichier)
    # A program whose name lies.
    _d, errors = _clean(_file_field(), {}, files=_upload("facture.pdf", exe_bytes()))
    assert errors["justificatif"].startswith("Ce fichier est un programme Windows")
    # A real document of a format the field does not take.
    _d, errors = _clean(_file_field(formats=["png"]), {}, files=_upload("f.pdf", pdf_bytes()))
    assert errors["justificatif"] == (
        "Ce fichier est au format PDF : seuls les formats PNG sont acceptés ici."
    )


def test_it_refuses_oversize_files_and_bombs():
    from PIL import Image

    from tests.observatoire.fixtures_contrib import pdf_bytes, zip_bomb_docx

    big = pdf_bytes() + b"%" * (1024 * 1024)
    _d, errors = _clean(_file_field(taille_max_mo=1), {}, files=_upload("gros.pdf", big))
    assert errors["justificatif"] == "Ce fichier dépasse la taille permise (1 Mo)."
    _d, errors = _clean(
        _file_field(formats=["docx"], taille_max_mo=10),
        {},
        files=_upload("lettre.docx", zip_bomb_docx()),
    )
    assert "se décompresse en un volume démesuré" in errors["justificatif"]
    # A PNG whose header claims 30 000 × 30 000 pixels (a few kB on disk).
    import io

    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    _d, errors = _clean(_file_field(), {}, files=_upload("photo.png", buffer.getvalue()))
    assert errors["justificatif"] == "Cette image est trop grande (en pixels)."
