"""Every page of the citizen's file and of the RGPD rights meets the accessibility basics,
filled in and empty."""

from datetime import date

from django.urls import reverse

from socle.citoyen.services import adresse_create, proche_create
from tests.citoyen.helpers import add_piece
from tests.helpers.a11y import assert_accessible


def test_every_page_is_accessible(client, citizen):
    client.force_login(citizen)
    empty = [
        reverse("citoyen-site:profil"),
        reverse("citoyen-site:foyer"),
        reverse("citoyen-site:adresses"),
        reverse("citoyen-site:pieces"),
        reverse("portail:espace"),
    ]
    for url in empty:
        assert_accessible(client.get(url))
    proche = proche_create(
        usager=citizen,
        lien="enfant",
        prenom="Léa",
        nom="Citoyenne",
        date_naissance=date(2016, 5, 2),
    )
    adresse = adresse_create(
        usager=citizen,
        libelle="Domicile",
        voie="1 rue A",
        code_postal="33600",
        commune_nom="Pessac",
    )
    piece = add_piece(citizen, date_document=date(2020, 1, 1))
    filled = [
        *empty,
        reverse("citoyen-site:proche", args=[proche.pk]),
        reverse("citoyen-site:proche_supprimer", args=[proche.pk]),
        reverse("citoyen-site:adresse", args=[adresse.pk]),
        reverse("citoyen-site:adresse_ajouter"),
        reverse("citoyen-site:piece_supprimer", args=[piece.pk]),
        reverse("portail:rgpd_export"),
        reverse("portail:rgpd_supprimer"),
    ]
    for url in filled:
        assert_accessible(client.get(url))
    # With every error shown at once.
    assert_accessible(client.post(reverse("citoyen-site:foyer"), {}))
    assert_accessible(client.post(reverse("citoyen-site:pieces"), {}))
    assert_accessible(client.post(reverse("citoyen-site:adresse_ajouter"), {}))
    assert_accessible(client.post(reverse("portail:rgpd_supprimer"), {}))
