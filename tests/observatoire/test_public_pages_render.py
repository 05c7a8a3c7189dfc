"""The observatory's public pages render, accessible, for anyone: the search with its facets
and counts, a project, an actor, the software registry, and their French empty states."""

import pytest
from django.urls import reverse

from tests.helpers.a11y import assert_accessible

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert_accessible(response)
    return response.content.decode()


def test_it_finds_the_reporting_apps_by_french_words(client, observatoire):
    page = _page(client, reverse("observatoire-site:accueil"), q="signalement voirie application")
    assert "2 projets correspondent à votre recherche" in page
    assert observatoire.voirie.titre in page
    assert "DK&#x27;CL! : signaler un problème" in page
    assert "Tablettes dans les écoles" not in page
    # Carrier, status badge, themes.
    assert "Porté par" in page and ">Dunkerque</a>" in page
    assert "Réalisé" in page and "Services aux usagers" in page


def test_it_counts_each_facet_value_and_filters_by_it(client, observatoire):
    page = _page(client, reverse("observatoire-site:accueil"))
    assert "3 projets publiés" in page
    assert "Services aux usagers (2)" in page
    assert "Inclusion numérique (1)" in page
    assert "59 – Nord (1)" in page and "33 – Gironde (2)" in page
    assert "Publik (1)" in page
    page = _page(
        client, reverse("observatoire-site:accueil"), themes="services-usagers", departement="33"
    )
    assert "1 projet correspond à votre recherche" in page
    assert observatoire.voirie.titre in page
    # Another theme stays offered with its count under the département chosen.
    assert "Inclusion numérique (1)" in page
    page = _page(client, reverse("observatoire-site:accueil"), logiciel="dansmarue")
    assert "1 projet correspond" in page and "DK&#x27;CL!" in page


def test_it_says_in_french_when_nothing_matches(client, observatoire):
    page = _page(client, reverse("observatoire-site:accueil"), q="aéroport spatial")
    assert "Aucun projet ne correspond à votre recherche" in page
    assert "Essayez d’autres mots" in page
    assert "Voir tous les projets" in page


def test_it_explains_a_wrong_filter_in_french(client, observatoire):
    response = client.get(reverse("observatoire-site:accueil"), {"statuts": "termine"})
    assert response.status_code == 200
    assert_accessible(response)
    page = response.content.decode()
    assert "Le formulaire contient des erreurs" in page
    assert "Sélectionnez un choix valide" in page
    assert "<title>Erreur :" in page


def test_it_shows_an_empty_observatory(client, demo_members):
    page = _page(client, reverse("observatoire-site:accueil"))
    assert "Aucun projet publié" in page
    assert "Aucun projet n’est encore publié dans l’observatoire." in page
    page = _page(client, reverse("observatoire-site:logiciels"))
    assert "Aucun logiciel n’est encore cité par un projet publié." in page


def test_it_pages_the_results(client, observatoire, settings, monkeypatch):
    from socle.observatoire import views_public

    monkeypatch.setattr(views_public, "PER_PAGE", 2)
    page = _page(client, reverse("observatoire-site:accueil"))
    assert "Page 1 sur 2" in page and 'rel="next"' in page
    page = _page(client, reverse("observatoire-site:accueil"), page="2")
    assert "Page 2 sur 2" in page
    assert page.count('class="obs-projet"') == 1
    # Past the end: the last page, not an error.
    assert "Page 2 sur 2" in _page(client, reverse("observatoire-site:accueil"), page="9")


def test_it_shows_everything_about_a_project(client, observatoire):
    page = _page(client, reverse("observatoire-site:projet", args=[observatoire.voirie.slug]))
    for text in (
        observatoire.voirie.titre,
        "Les habitants signalent nids-de-poule",
        "<strong>application</strong>",
        "depuis le 1 mars 2024",
        "45\xa0000 €",
        "6\xa0000 € par an",
        "20\xa0000 €",
        "marchés publics",
        "1 200 signalements la première année.",
        "Associer les agents de terrain",
        "Code source ouvert",
        "https://git.example.org/pessac/voirie",
        "Collectivités concernées",
        ">Bordeaux</a>",
        "Anne Agent",
        "Cheffe de projet voirie",
        "Projets similaires",
        "DK&#x27;CL!",
    ):
        assert text in page, text
    assert reverse("observatoire-site:logiciel", args=["publik"]) in page
    assert reverse("observatoire-site:acteur", args=["pessac"]) in page


def test_it_lists_a_projects_public_documents_only(client, observatoire):
    from django.core.files.base import ContentFile

    from socle.observatoire.models import Document

    public = Document.objects.create(
        projet=observatoire.voirie,
        fichier=ContentFile(b"%PDF-1.4", name="cctp.pdf"),
        nom="Cahier des charges",
        type_mime="application/pdf",
        taille=8,
    )
    Document.objects.create(
        projet=observatoire.voirie,
        fichier=ContentFile(b"%PDF-1.4", name="interne.pdf"),
        nom="Note interne",
        type_mime="application/pdf",
        taille=8,
        public=False,
    )
    page = _page(client, reverse("observatoire-site:projet", args=[observatoire.voirie.slug]))
    assert "Cahier des charges" in page
    assert (
        reverse(
            "observatoire-site:document", kwargs={"slug": observatoire.voirie.slug, "pk": public.pk}
        )
        in page
    )
    assert "Note interne" not in page


def test_it_shows_an_actor_and_its_projects(client, observatoire):
    page = _page(client, reverse("observatoire-site:acteur", args=["dunkerque"]))
    assert "Dunkerque" in page and "86\xa0000 habitants" in page
    assert "DK&#x27;CL!" in page
    assert "accueil@ville-dunkerque.example.fr" in page
    page = _page(client, reverse("observatoire-site:acteur", args=["bordeaux"]))
    assert "Projets auxquels il participe" in page and observatoire.voirie.titre in page
    assert "Tablettes dans les écoles" in page


def test_it_shows_the_software_registry(client, observatoire):
    page = _page(client, reverse("observatoire-site:logiciels"))
    assert "Publik" in page and "DansMaRue" in page and "Entr&#x27;ouvert" in page
    page = _page(client, reverse("observatoire-site:logiciel", args=["publik"]))
    assert "Référents" in page and ">Pessac</a>" in page
    assert "Anne Agent" in page  # the referent's contact, who consented
    assert observatoire.voirie.titre in page
    assert client.get(reverse("observatoire-site:logiciel", args=["inconnu"])).status_code == 404


def test_it_links_the_observatory_from_the_platform_home(client, demo_members):
    page = client.get(reverse("portail:accueil")).content.decode()
    assert reverse("observatoire-site:accueil") in page
    assert "L’observatoire des projets" in page


def test_it_answers_only_get(client, observatoire):
    assert client.post(reverse("observatoire-site:accueil")).status_code == 405
    assert client.post(reverse("observatoire-site:export", args=["csv"])).status_code == 405
