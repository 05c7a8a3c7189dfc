"""Every form of the contribution and review screens shows all its errors in one round, in
French, on the fields (and in the summary that takes the focus), with a 400 status."""

import re

from socle.observatoire.models import Acteur, Contact, Logiciel, Projet
from tests.helpers.a11y import assert_accessible
from tests.observatoire.fixtures_contrib import gestion, projet_post


def _field_errors(html: str) -> dict[str, list[str]]:
    """The errors shown under each field, by the field's id."""
    return {
        match.group(1): re.findall(r"<p>(.*?)</p>", match.group(2), re.S)
        for match in re.finditer(
            r'<div class="field-errors" id="(.+?)_error">(.*?)</div>', html, re.S
        )
    }


def _assert_error_page(response, expected: dict[str, str]) -> None:
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Erreur :" in html
    assert "Le formulaire contient des erreurs" in html
    errors = _field_errors(html)
    for field_id, message in expected.items():
        assert field_id in errors, (field_id, errors)
        assert any(message in shown for shown in errors[field_id]), (field_id, errors[field_id])
    assert_accessible(response)


def test_it_shows_every_error_of_the_project_form(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    response = client.post(
        gestion(demo_members.pessac, "projet_nouveau"),
        projet_post(
            titre="",
            themes=["inconnu"],
            statut="fini",
            date_debut="2026-05-01",
            date_fin="2025-01-01",
            budget_investissement="beaucoup",
            budget_fonctionnement="-3",
            depot_code="ftp://exemple.fr/code",
            site_web="exemple.fr",
            **{
                "financements-0-source": "",
                "financements-0-montant": "5 000",
                "financements-1-source": "Europe",
                "financements-1-montant": "beaucoup",
            },
        ),
    )
    _assert_error_page(
        response,
        {
            "id_titre": "Indiquez le titre du projet.",
            "id_themes": "inconnu",
            "id_statut": "fini",
            "id_date_fin": "La date de fin précède la date de début.",
            "id_budget_investissement": "Saisissez un montant en euros",
            "id_budget_fonctionnement": "Saisissez un montant positif en euros.",
            "id_depot_code": "Saisissez une adresse web complète",
            "id_site_web": "Saisissez une adresse web complète",
            "id_financements-0-source": "Indiquez la source de ce financement.",
            "id_financements-1-montant": "Saisissez un montant en euros",
        },
    )
    html = response.content.decode()
    # What was typed stays in the form.
    assert 'value="beaucoup"' in html and 'value="Europe"' in html
    assert not Projet.objects.exists()


def test_it_refuses_a_date_it_cannot_read(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    response = client.post(
        gestion(demo_members.pessac, "projet_nouveau"),
        projet_post(date_debut="31/02/2026", titre=""),
    )
    _assert_error_page(
        response,
        {
            "id_date_debut": "Saisissez une date valide (jj/mm/aaaa).",
            "id_titre": "Indiquez le titre du projet.",
        },
    )


def test_it_shows_every_error_of_the_contact_form(
    client, demo_members, projet_pessac, agent_pessac
):
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_contacts", projet_pessac.pk)
    response = client.post(url, {"action": "ajouter", "nom": "", "email": "pas-une-adresse"})
    _assert_error_page(
        response,
        {
            "id_nom": "Indiquez le nom de la personne.",
            "id_email": "Saisissez une adresse électronique valide",
        },
    )
    other = client.post(
        url,
        {"action": "ajouter", "nom": "Zoé Martin", "email": "zoe@exemple.fr", "moi": "on"},
    )
    _assert_error_page(other, {"id_moi": "Seule la personne elle-même peut donner son accord"})
    assert not Contact.objects.exists()


def test_it_asks_for_a_file(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    response = client.post(gestion(demo_members.pessac, "projet_documents", projet_pessac.pk), {})
    _assert_error_page(response, {"id_fichier": "Choisissez un fichier."})


def test_it_asks_for_a_software_name(client, demo_members, projet_pessac, agent_pessac):
    client.force_login(agent_pessac)
    url = gestion(demo_members.pessac, "projet_logiciels", projet_pessac.pk)
    response = client.post(url, {"action": "ajouter", "nom": "  "})
    _assert_error_page(response, {"id_nom": "Indiquez le nom du logiciel ou du service."})


def test_it_shows_every_error_of_the_actor_form(client, operateur):
    client.force_login(operateur)
    response = client.post(
        "/gestion/observatoire/acteurs/",
        {
            "formulaire": "creer",
            "kind": "collectivite",
            "nom": "",
            "siren": "123456789",
            "siret": "12345678901234",
            "rna": "X12",
            "population": "-5",
            "departement_code": "999",
            "latitude": "nord",
            "longitude": "200",
            "site_web": "pas une adresse",
            "email": "accueil@",
        },
    )
    _assert_error_page(
        response,
        {
            "id_nom": "Indiquez le nom de l’acteur.",
            "id_siren": "Ce numéro SIREN n’est pas valide",
            "id_siret": "Ce numéro SIRET n’est pas valide",
            "id_rna": "W suivi de 9 chiffres",
            "id_population": "La population ne peut pas être négative.",
            "id_departement_code": "Un code de département s’écrit",
            "id_latitude": "degrés décimaux",
            "id_longitude": "La longitude est comprise entre -180 et 180.",
            "id_site_web": "Saisissez une adresse web complète",
            "id_email": "Saisissez une adresse électronique valide.",
            "id_type_collectivite": "Indiquez le type de collectivité.",
        },
    )
    assert not Acteur.objects.filter(kind="collectivite", population__isnull=True).exists()


def test_it_records_an_actor_outside_the_territory(client, operateur):
    client.force_login(operateur)
    response = client.post(
        "/gestion/observatoire/acteurs/",
        {
            "formulaire": "creer",
            "kind": "collectivite",
            "nom": "Dunkerque",
            "type_collectivite": "commune",
            "code_insee": "59183",
            "population": "86279",
            "departement_code": "59",
            "region_code": "32",
            "latitude": "51,0344",
            "longitude": "2,3768",
            "siren": "215 901 836",
        },
    )
    assert response.status_code == 302
    dunkerque = Acteur.objects.get(nom="Dunkerque")
    assert (dunkerque.population, dunkerque.latitude, dunkerque.siren) == (
        86279,
        51.0344,
        "215901836",
    )
    listing = client.get("/gestion/observatoire/acteurs/", {"q": "dunkerque"})
    assert "Dunkerque" in listing.content.decode()
    assert_accessible(listing)


def test_it_shows_every_error_of_the_software_form(client, operateur):
    logiciel = Logiciel.objects.create(nom="Publik", slug="publik")
    client.force_login(operateur)
    page = client.get("/gestion/observatoire/logiciels/", {"modifier": logiciel.pk})
    assert page.status_code == 200
    assert_accessible(page)
    response = client.post(
        "/gestion/observatoire/logiciels/",
        {
            "formulaire": "modifier",
            "logiciel": logiciel.pk,
            "site_web": "publik",
            "licence": "A" * 90,
            "sill_id": "douze",
            "comptoir_url": "https://exemple.fr/publik",
        },
    )
    _assert_error_page(
        response,
        {
            "id_site_web": "Saisissez une adresse web complète",
            "id_licence": "80 caractères",
            "id_sill_id": "L’identifiant SILL est un nombre",
            "id_comptoir_url": "Comptoir du Libre",
        },
    )
    saved = client.post(
        "/gestion/observatoire/logiciels/",
        {
            "formulaire": "modifier",
            "logiciel": logiciel.pk,
            "libre": "on",
            "licence": "AGPL-3.0",
            "sill_id": "245",
            "comptoir_url": "https://comptoir-du-libre.org/fr/softwares/123",
            "editeur": "Entr’ouvert",
        },
    )
    assert saved.status_code == 302
    logiciel.refresh_from_db()
    assert (logiciel.libre, logiciel.licence, logiciel.sill_id) == (True, "AGPL-3.0", "245")


def test_it_asks_for_a_new_softwares_name(client, operateur):
    client.force_login(operateur)
    response = client.post("/gestion/observatoire/logiciels/", {"formulaire": "ajouter", "nom": ""})
    _assert_error_page(response, {"id_nom": "Indiquez le nom du logiciel ou du service."})
