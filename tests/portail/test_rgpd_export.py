"""The citizen's export: a ZIP with donnees.json (account, FranceConnect identity, profile,
household, addresses, documents, reports) and the decrypted documents. The démarches part
(`usager_export`) is the démarches module's, tested there."""

import io
import json
import zipfile
from datetime import date

from django.utils import timezone

from socle.citoyen.services import adresse_create, proche_create, profil_update
from socle.comptes.models import Identity
from socle.portail.services_rgpd import archive_write, export_own
from socle.signalements.services import signalement_create
from tests.citoyen.helpers import PDF, add_piece, files_dir, png  # noqa: F401 - fixture
from tests.signalements.conftest import PESSAC


def test_it_exports_everything_the_citizen_gave(citizen, files_dir, demo_members):  # noqa: F811
    Identity.objects.create(
        user=citizen,
        provider=Identity.Provider.FRANCECONNECT,
        sub="fc-camille",
        given_name="Camille",
        family_name="Citoyenne",
        birthdate=date(1985, 3, 14),
        verified_at=timezone.now(),
    )
    profil_update(usager=citizen, telephone="06 12 34 56 78", date_naissance=None)
    proche_create(
        usager=citizen,
        lien="enfant",
        prenom="Léa",
        nom="Citoyenne",
        date_naissance=date(2016, 5, 2),
    )
    adresse_create(
        usager=citizen,
        libelle="Domicile",
        voie="1 Avenue Jean Jaurès",
        code_postal="33600",
        commune_nom="Pessac",
    )
    piece = add_piece(citizen)
    add_piece(citizen, type="livret_famille", upload=png("livret.png"))
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )

    archive = zipfile.ZipFile(io.BytesIO(archive_write(*export_own(citizen))))
    data = json.loads(archive.read("donnees.json"))
    assert data["compte"]["email"] == "camille.citoyenne@example.fr"
    assert data["identites"][0]["date_naissance"] == "1985-03-14"
    assert data["profil"]["telephone"] == "+33612345678"
    assert data["foyer"][0]["prenom"] == "Léa"
    assert data["adresses"][0]["principale"] is True
    assert [s["reference"] for s in data["signalements"]] == [report.reference]
    assert len(data["pieces"]) == 2
    exported = next(p for p in data["pieces"] if p["type"] == "justificatif_domicile")
    assert exported["sha256"] == piece.fichier.sha256
    assert archive.read(exported["fichier"]) == PDF
    livret = next(p for p in data["pieces"] if p["type"] == "livret_famille")
    assert archive.read(livret["fichier"]).startswith(b"\x89PNG")
    assert sorted(archive.namelist()) == sorted(
        ["donnees.json", exported["fichier"], livret["fichier"]]
    )


def test_it_offers_the_export_on_my_space(client, citizen):
    client.force_login(citizen)
    page = client.get("/comptes/espace/").content.decode()
    assert 'href="/comptes/espace/mes-donnees/"' in page
    assert 'href="/comptes/espace/supprimer-mon-compte/"' in page
    assert client.get("/comptes/espace/mes-donnees/").status_code == 200
    client.logout()
    assert client.post("/comptes/espace/mes-donnees/").status_code == 302
