"""The citizen's pages: the catalogue, a page of the form with its errors in one round, autosave,
the summary and filing, the dossier; other people get a 404, anonymous people the login."""

import pytest
from django.urls import reverse

from socle.demarches import depot
from socle.demarches.models import DEPOSE, Dossier
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture

SCHEMA = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {
                    "cle": "prenom",
                    "type": "texte",
                    "libelle": "Prénom",
                    "obligatoire": True,
                    "prerempli": "usager.prenom",
                },
                {
                    "cle": "naissance",
                    "type": "date",
                    "libelle": "Date de naissance",
                    "obligatoire": True,
                },
                {"cle": "telephone", "type": "telephone", "libelle": "Téléphone"},
                {"cle": "adresse", "type": "adresse", "libelle": "Adresse"},
            ],
        },
        {
            "titre": "Enfants",
            "champs": [
                {
                    "cle": "enfants",
                    "type": "bloc",
                    "libelle": "Enfants",
                    "libelle_element": "Enfant",
                    "champs": [
                        {"cle": "prenom", "type": "texte", "libelle": "Prénom", "obligatoire": True}
                    ],
                },
            ],
        },
    ]
}


@pytest.fixture
def demarche(demo_members, demarche_factory):
    return demarche_factory(demo_members.pessac, SCHEMA, slug="cantine")


def test_it_lists_and_describes_procedures_only_where_the_module_is_on(
    client, demarche, demo_members
):
    response = client.get("/pessac/demarches/")
    assert response.status_code == 200 and "Inscription à la cantine" in response.text
    page = client.get("/pessac/demarches/cantine/")
    assert "Se connecter pour commencer" in page.text
    bordeaux = demo_members.bordeaux
    bordeaux.modules = [code for code in bordeaux.modules if code != "demarches"]
    bordeaux.save(update_fields=["modules"])
    assert client.get("/bordeaux/demarches/").status_code == 404


def test_it_fills_a_page_with_every_error_in_one_round(client, demarche, citizen):
    client.force_login(citizen)
    response = client.post("/pessac/demarches/cantine/")
    dossier = Dossier.objects.get(usager=citizen)
    assert response.url == f"/demarches/dossiers/{dossier.reference}/page/1/"
    page = client.get(response.url)
    assert "Repris de votre dossier citoyen" in page.text
    response = client.post(
        response.url,
        {
            "page": "0",
            "action": "suivant",
            "f-prenom": "",
            "f-naissance": "31/02/2016",
            "f-telephone": "+44 20 7946 0958",
        },
    )
    assert response.status_code == 400
    text = response.text
    assert "Le formulaire contient 3 erreurs" in text
    assert 'href="#f-naissance"' in text and "Cette date n’existe pas" in text
    assert 'value="31/02/2016"' in text  # what was typed stays
    response = client.post(
        f"/demarches/dossiers/{dossier.reference}/page/1/",
        {
            "page": "0",
            "action": "suivant",
            "f-prenom": "Camille",
            "f-naissance": "01/02/2016",
            "f-adresse-voie": "1 Avenue Jean Jaurès",
            "f-adresse-code_postal": "33600",
            "f-adresse-commune": "Pessac",
        },
    )
    assert response.url == f"/demarches/dossiers/{dossier.reference}/page/2/"
    # No script: « Ajouter un enfant » is a submit that adds a row.
    response = client.post(
        response.url, {"page": "1", "action": "ajouter:enfants", "f-enfants-lignes": "0"}
    )
    assert response.status_code == 302
    page = client.get(f"/demarches/dossiers/{dossier.reference}/page/2/")
    assert 'name="f-enfants-0-prenom"' in page.text and "Retirer : Enfant 1" in page.text


def test_it_geocodes_a_typed_address_without_script(client, demarche, citizen, fake_adresse):  # noqa: F811
    client.force_login(citizen)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    client.post(
        f"/demarches/dossiers/{dossier.reference}/page/1/",
        {
            "page": "0",
            "action": "suivant",
            "f-prenom": "Camille",
            "f-naissance": "01/02/2016",
            "f-adresse-voie": "1 Avenue Jean Jaurès",
            "f-adresse-code_postal": "33600",
            "f-adresse-commune": "Pessac",
        },
    )
    dossier.refresh_from_db()
    assert dossier.donnees["adresse"]["commune_code"] == "33318"
    assert dossier.donnees["adresse"]["lat"] == pytest.approx(44.8072)
    found = client.get("/demarches/adresses/?q=avenue jean jaures pessac").json()["resultats"][0]
    assert found["code_postal"] == "33600" and found["commune_code"] == "33318"


def test_it_autosaves_keeping_invalid_text(client, demarche, citizen):
    client.force_login(citizen)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    response = client.post(
        f"/demarches/dossiers/{dossier.reference}/brouillon/",
        {"page": "0", "f-prenom": "Cam", "f-telephone": "06 12"},
    )
    assert response.status_code == 200
    assert response.json()["message"].startswith("Brouillon enregistré à ")
    dossier.refresh_from_db()
    assert dossier.donnees["prenom"] == "Cam"
    assert dossier.donnees["_brouillon"]["telephone"] == "06 12"


def test_it_files_from_the_summary_once(client, demarche, citizen):
    client.force_login(citizen)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    Dossier.objects.filter(pk=dossier.pk).update(
        donnees={"prenom": "Camille", "naissance": "2016-02-01", "enfants": [{"prenom": "Léa"}]}
    )
    summary = client.get(f"/demarches/dossiers/{dossier.reference}/recapitulatif/")
    assert "Modifier" in summary.text and "Léa" in summary.text
    jeton = summary.context["jeton"]
    url = f"/demarches/dossiers/{dossier.reference}/recapitulatif/"
    first = client.post(url, {"jeton": jeton})
    second = client.post(url, {"jeton": jeton})
    assert first.url == second.url == f"/demarches/dossiers/{dossier.reference}/"
    dossier.refresh_from_db()
    assert dossier.statut == DEPOSE
    page = client.get(first.url)
    from tests.helpers.a11y import assert_accessible

    assert_accessible(page)
    assert "Récépissé de dépôt" in page.text and "en préparation" in page.text
    assert "Dossier déposé" in page.text


def test_it_shows_my_dossier_to_me_only(client, demarche, citizen, other_citizen):
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    ref = dossier.reference
    urls = [
        f"/demarches/dossiers/{ref}/",
        f"/demarches/dossiers/{ref}/page/1/",
        f"/demarches/dossiers/{ref}/recapitulatif/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("comptes:connexion"))
    client.force_login(other_citizen)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(f"/demarches/dossiers/{ref}/brouillon/", {"page": "0"}).status_code == 404
    assert client.post(f"/demarches/dossiers/{ref}/supprimer/").status_code == 404


EVERY_TYPE = {
    "pages": [
        {
            "titre": "Tout",
            "texte": "Lisez **bien**.",
            "champs": [
                {"cle": "section", "type": "titre_section", "libelle": "Section"},
                {
                    "cle": "info",
                    "type": "texte_explicatif",
                    "libelle": "À savoir",
                    "texte": "Un *texte*.",
                },
                {"cle": "texte", "type": "texte", "libelle": "Texte", "aide": "Une aide."},
                {"cle": "long", "type": "texte_long", "libelle": "Long"},
                {"cle": "nombre", "type": "nombre", "libelle": "Nombre"},
                {"cle": "date", "type": "date", "libelle": "Date"},
                {
                    "cle": "email",
                    "type": "email",
                    "libelle": "Courriel",
                    "prerempli": "usager.email",
                },
                {"cle": "tel", "type": "telephone", "libelle": "Téléphone"},
                {"cle": "oui", "type": "oui_non", "libelle": "Oui ou non"},
                {
                    "cle": "unique",
                    "type": "choix_unique",
                    "libelle": "Unique",
                    "choix": [{"valeur": "a"}],
                },
                {
                    "cle": "multiple",
                    "type": "choix_multiple",
                    "libelle": "Multiple",
                    "choix": [{"valeur": "a"}],
                    "condition": {"champ": "oui", "valeur": "oui"},
                },
                {"cle": "liste", "type": "liste", "libelle": "Liste", "choix": [{"valeur": "a"}]},
                {"cle": "adresse", "type": "adresse", "libelle": "Adresse"},
                {"cle": "commune", "type": "commune", "libelle": "Commune"},
                {"cle": "fichier", "type": "fichier", "libelle": "Fichier", "piece_type": "rib"},
                {
                    "cle": "bloc",
                    "type": "bloc",
                    "libelle": "Bloc",
                    "min_repetitions": 1,
                    "champs": [
                        {"cle": "x", "type": "texte", "libelle": "X"},
                        {"cle": "y", "type": "fichier", "libelle": "Y"},
                    ],
                },
                {"cle": "iban", "type": "iban", "libelle": "IBAN"},
                {"cle": "siret", "type": "siret", "libelle": "SIRET"},
            ],
        }
    ]
}


def test_it_renders_every_field_type_accessibly(client, demo_members, demarche_factory, citizen):
    from socle.citoyen.chiffrement import fichier_store
    from socle.citoyen.models import Piece
    from tests.helpers.a11y import assert_accessible
    from tests.observatoire.fixtures_contrib import pdf_bytes

    fichier = fichier_store(
        content=pdf_bytes(), nom="rib.pdf", type_mime="application/pdf", proprietaire=citizen
    )
    Piece.objects.create(usager=citizen, type="rib", fichier=fichier)
    demarche = demarche_factory(demo_members.pessac, EVERY_TYPE)
    client.force_login(citizen)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    url = f"/demarches/dossiers/{dossier.reference}/page/1/"
    page = client.get(url)
    assert_accessible(page)
    assert "Joindre depuis mon dossier citoyen" in page.text
    response = client.post(
        url,
        {
            "page": "0",
            "action": "joindre:fichier",
            "f-fichier-piece": str(fichier.piece_citoyen.pk),
            "f-bloc-lignes": "1",
        },
    )
    assert response.status_code == 302
    errors = client.post(
        url,
        {
            "page": "0",
            "action": "suivant",
            "f-bloc-lignes": "1",
            "f-iban": "FR00",
            "f-fichier-garder": str(
                Dossier.objects.get(pk=dossier.pk).donnees["fichier"]["piece_jointe"]
            ),
        },
    )
    assert errors.status_code == 400
    assert_accessible(errors)
    assert "rib.pdf" in errors.text
    summary = client.get(f"/demarches/dossiers/{dossier.reference}/recapitulatif/")
    assert_accessible(summary)
