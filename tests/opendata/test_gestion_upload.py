"""Uploading a new version in the back office: published with a message naming the version,
or refused with the French report shown cell by cell (status 400), or too big (status 413);
the version history links every version's file."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from socle.opendata.models import Version
from socle.opendata.selectors import version_courante
from tests.opendata.gestion_helpers import INVALIDE, VALIDE


def _deposer(client, jeu, contenu: bytes, nom: str = "subventions.csv", **extra):
    return client.post(
        reverse("gestion:opendata:deposer", args=["pessac", jeu.slug]),
        {"fichier": SimpleUploadedFile(nom, contenu), **extra},
        follow=True,
    )


def test_it_offers_csv_and_xlsx_files(client, subventions, admin_pessac):
    client.force_login(admin_pessac)
    page = client.get(reverse("gestion:opendata:deposer", args=["pessac", subventions.slug]))
    assert 'accept=".csv,.xlsx,text/csv"' in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()


def test_it_publishes_a_valid_file_and_says_which_version(client, subventions, admin_pessac):
    client.force_login(admin_pessac)
    response = _deposer(client, subventions, VALIDE)
    assert response.redirect_chain[-1][0] == reverse(
        "gestion:opendata:jeu", args=["pessac", subventions.slug]
    )
    assert "Version 1 publiée : 29 lignes." in response.content.decode()
    assert version_courante(subventions).publie_par == admin_pessac


def test_it_shows_the_report_cell_by_cell_and_publishes_nothing(client, subventions, admin_pessac):
    client.force_login(admin_pessac)
    _deposer(client, subventions, VALIDE)
    response = _deposer(client, subventions, INVALIDE, nom="invalide.csv")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le fichier n’a pas été publié" in page and "Fichier refusé : " in page
    for header in ("Ligne", "Colonne", "Valeur", "Erreur"):
        assert f'<th scope="col">{header}</th>' in page
    assert (
        '<th scope="row" data-label="Ligne">2</th><td data-label="Colonne">idAttribuant</td>'
        '<td data-label="Valeur">21860194600000</td><td data-label="Erreur">Format Invalide : '
        "La valeur n&#x27;est pas conforme au format Siret.</td>"
    ) in page
    # The last valid version stays online.
    assert version_courante(subventions).numero == 1 and Version.objects.count() == 1


def test_it_explains_an_unreadable_file(client, subventions, admin_pessac):
    client.force_login(admin_pessac)
    workbook = Workbook()
    workbook.active.title = "2023"
    workbook.active.append(["a"])
    workbook.active.append([1])
    other = workbook.create_sheet("2024")
    other.append(["a"])
    other.append([2])
    out = io.BytesIO()
    workbook.save(out)
    response = _deposer(client, subventions, out.getvalue(), nom="classeur.xlsx")
    assert response.status_code == 400
    assert "plusieurs feuilles remplies (« 2023 », « 2024 »)" in response.content.decode()
    assert not Version.objects.exists()


def test_it_asks_for_a_file(client, subventions, admin_pessac):
    client.force_login(admin_pessac)
    response = client.post(reverse("gestion:opendata:deposer", args=["pessac", subventions.slug]))
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.content.decode()


def test_it_answers_413_in_french_over_the_size_limit(client, subventions, admin_pessac, settings):
    settings.OPENDATA_MAX_BYTES = 1000
    client.force_login(admin_pessac)
    # Within the envelope's margin: the file's own size is checked.
    response = _deposer(client, subventions, VALIDE)
    assert response.status_code == 413
    assert "dépasse la taille permise (1000 octets)" in response.content.decode()
    # Far beyond: refused from the request's length, before the file is read.
    response = _deposer(client, subventions, b"a\n" + b"1\n" * 100_000)
    assert response.status_code == 413
    assert not Version.objects.exists()


def test_it_links_every_version_of_the_history(client, subventions, admin_pessac):
    client.force_login(admin_pessac)
    _deposer(client, subventions, VALIDE)
    page = _deposer(client, subventions, VALIDE).content.decode()
    for numero in (1, 2):
        assert f'href="/pessac/donnees/subventions-versees/versions/{numero}.csv"' in page
    assert page.index("Version 2</th>") < page.index("Version 1</th>")
    assert "subventions.csv" in page and "Licence Ouverte 2.0" in page
