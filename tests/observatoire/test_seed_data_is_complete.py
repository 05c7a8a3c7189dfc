"""Every seed project can be shown and found: a summary, themes of themes.py, a carrier; the
actors are typed and placed; nobody's personal details are recorded."""

from socle.observatoire.models import Acteur, Contact, Projet, ProjetActeur
from socle.observatoire.seed import seed_data, seed_load
from socle.observatoire.themes import THEMES


def test_it_gives_every_project_a_summary_themes_and_a_carrier(db):
    seed_load()

    slugs = [spec["slug"] for spec in seed_data()["projets"]]
    projets = list(Projet.objects.filter(slug__in=slugs))
    assert len(projets) == len(slugs)
    for projet in projets:
        assert projet.resume and len(projet.resume) <= 500, projet.slug
        assert projet.description, projet.slug
        assert projet.themes and set(projet.themes) <= set(THEMES), projet.slug
        assert projet.porteur_id is not None, projet.slug
        assert projet.statut in Projet.Statut.values, projet.slug
        assert projet.document, projet.slug


def test_it_refers_only_to_actors_and_software_it_defines():
    data = seed_data()
    actors = {spec["slug"] for spec in data["acteurs"]}
    software = {spec["nom"] for spec in data["logiciels"]}
    for spec in data["projets"]:
        assert spec["porteur"] in actors, spec["slug"]
        for slug, role in spec.get("participations", []):
            assert slug in actors and role in ProjetActeur.Role.values, spec["slug"]
        assert set(spec.get("logiciels", [])) <= software, spec["slug"]
    for spec in data["logiciels"]:
        assert {usage["acteur"] for usage in spec["usages"]} <= actors, spec["nom"]
    for spec in data["acteurs"]:
        assert spec["kind"] in Acteur.Kind.values, spec["slug"]


def test_it_records_no_contact_person_and_no_detail_the_documents_do_not_give(db):
    seed_load()

    assert not Contact.objects.exists()
    # No document gives a SIREN, an e-mail address or an actor's website.
    assert not Acteur.objects.exclude(siren="").exists()
    assert not Acteur.objects.exclude(email="").exists()
    assert not Acteur.objects.exclude(site_web="").exists()


def test_it_places_and_sizes_every_collectivite(db):
    seed_load()

    # Those of the loaded territory (Bordeaux Métropole, when the Gironde is there) are the
    # territory's, as it gives them.
    collectivites = Acteur.objects.filter(kind=Acteur.Kind.COLLECTIVITE, collectivite=None)
    assert collectivites.count() >= 7
    for acteur in collectivites:
        assert acteur.type_collectivite in {"commune", "epci", "departement", "region"}
        assert acteur.departement_code and acteur.region_code, acteur.nom
        assert acteur.latitude is not None and acteur.longitude is not None, acteur.nom
        assert acteur.population, acteur.nom
    # Each approximation is said to be one.
    for spec in seed_data()["acteurs"]:
        if "latitude" in spec:
            assert "approximatives" in spec["provenance"]["lieu"], spec["slug"]
        if "population" in spec:
            assert "ordre de grandeur" in spec["provenance"]["population"], spec["slug"]
