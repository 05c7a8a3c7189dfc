"""A document is served to its owner only, decrypted, safely; its validity is shown, an
expired one flagged."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from socle.citoyen.models import Piece
from socle.citoyen.services import adresse_create, piece_default_validity, proche_create
from tests.citoyen.helpers import PDF, add_piece, pdf


def test_it_serves_the_owner_the_clear_document_safely(client, citizen):
    piece = add_piece(citizen, upload=pdf("Facture EDF mars.pdf"))
    client.force_login(citizen)
    response = client.get(reverse("citoyen-site:piece_telecharger", args=[piece.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Facture EDF mars.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-cache"


def test_it_answers_404_to_another_citizen(client, citizen, other_citizen):
    piece = add_piece(citizen)
    proche = proche_create(usager=citizen, lien="conjoint", prenom="Alex", nom="Citoyen")
    adresse = adresse_create(
        usager=citizen,
        libelle="Domicile",
        voie="1 rue A",
        code_postal="33600",
        commune_nom="Pessac",
    )
    client.force_login(other_citizen)
    for name, pk in [
        ("piece_telecharger", piece.pk),
        ("piece_supprimer", piece.pk),
        ("proche", proche.pk),
        ("proche_supprimer", proche.pk),
        ("adresse", adresse.pk),
        ("adresse_supprimer", adresse.pk),
    ]:
        url = reverse(f"citoyen-site:{name}", args=[pk])
        assert client.get(url).status_code == 404, url
        if "telecharger" not in url:
            assert client.post(url).status_code == 404, url
    assert Piece.objects.filter(pk=piece.pk).exists()
    assert citizen.proches.count() == 1 and citizen.adresses.count() == 1


def test_it_sends_anonymous_visitors_to_the_login(client, citizen):
    piece = add_piece(citizen)
    for url in [
        reverse("citoyen-site:pieces"),
        reverse("citoyen-site:piece_telecharger", args=[piece.pk]),
        reverse("citoyen-site:profil"),
        reverse("citoyen-site:foyer"),
        reverse("citoyen-site:adresses"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_it_deletes_a_document_and_its_ciphertext(
    client, citizen, django_capture_on_commit_callbacks
):
    from socle.citoyen.chiffrement import files_dir

    piece = add_piece(citizen)
    path = files_dir() / piece.fichier.chemin
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("citoyen-site:piece_supprimer", args=[piece.pk]))
    assert response.status_code == 302
    assert not Piece.objects.exists() and not path.exists()


@pytest.mark.parametrize(
    ("type", "issued", "until"),
    [
        ("justificatif_domicile", date(2025, 11, 30), date(2026, 2, 28)),
        ("attestation_caf", date(2025, 3, 2), date(2025, 12, 31)),
        ("avis_imposition", date(2024, 9, 1), date(2025, 9, 1)),
        ("livret_famille", date(2020, 1, 1), None),
        ("piece_identite", date(2020, 1, 1), None),
    ],
)
def test_it_gives_each_type_its_usual_validity(type, issued, until):
    assert piece_default_validity(type, issued) == until


def test_it_flags_an_expired_document(client, citizen):
    old = timezone.localdate() - timedelta(days=200)
    add_piece(citizen, date_document=old)
    add_piece(citizen, type="rib")
    client.force_login(citizen)
    page = client.get(reverse("citoyen-site:pieces")).content.decode()
    assert page.count("expiré") == 1
    assert "sans limite" in page
    espace = client.get(reverse("portail:espace")).content.decode()
    assert "2 documents" in espace and "dont 1 expiré" in espace


def test_it_adds_a_document_from_the_page_with_every_error_at_once(client, citizen):
    client.force_login(citizen)
    url = reverse("citoyen-site:pieces")
    response = client.post(
        url, {"type": "", "fichier": pdf("x.txt", b"texte"), "date_document": "32/13/2025"}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez le type de document." in text
    assert "seuls les formats PDF, PNG, JPG sont acceptés ici" in text
    assert "Saisissez une date valide." in text
    assert not Piece.objects.exists()
    response = client.post(url, {"type": "rib", "fichier": pdf("rib.pdf")})
    assert response.status_code == 302
    assert Piece.objects.get(usager=citizen).fichier.nom == "rib.pdf"
