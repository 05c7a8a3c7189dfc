"""The seed loads the projects the source documents describe, published, with their carriers,
partners and software."""

from socle.observatoire.models import Logiciel, LogicielUsage, Projet
from socle.observatoire.seed import seed_data, seed_load

CARRIERS = {
    "dkcl-dunkerque": "Communauté urbaine de Dunkerque",
    "cartable-de-l-elu-dunkerque": "Communauté urbaine de Dunkerque",
    "dansmarue-paris": "Ville de Paris",
    "vegetalisons-paris": "Ville de Paris",
    "kit-de-survie-gironde-numerique": "Gironde Numérique",
    "e-bourgogne": "GIP e-bourgogne",
    "megalis-bretagne": "Mégalis Bretagne",
    "sitra-rhone-alpes": "SITRA – Système d’Informations Touristiques Rhône-Alpin",
    "reseau-epn-drome": "Département de la Drôme",
    "territoire-intelligent-angers": "Angers Loire Métropole",
}


def test_it_publishes_every_seed_project_with_its_carrier(db):
    created = seed_load()

    assert created == len(seed_data()["projets"]) >= len(CARRIERS)
    for slug, carrier in CARRIERS.items():
        projet = Projet.objects.select_related("porteur").get(slug=slug)
        assert projet.etat == Projet.Etat.PUBLIE
        assert projet.publie_le is not None
        assert projet.porteur.nom == carrier
    assert not Projet.objects.exclude(etat=Projet.Etat.PUBLIE).exists()


def test_it_puts_the_projects_where_their_carriers_are(db):
    seed_load()

    dkcl = Projet.objects.get(slug="dkcl-dunkerque")
    assert (dkcl.departement_code, dkcl.region_code, dkcl.type_collectivite) == ("59", "32", "epci")
    assert 50.9 < dkcl.latitude < 51.1 and 2.2 < dkcl.longitude < 2.5
    assert dkcl.population is not None
    kit = Projet.objects.get(slug="kit-de-survie-gironde-numerique")
    assert kit.departement_code == "33"


def test_it_makes_the_structures_pages_unless_the_carrier_is_a_member(demo_members):
    seed_load()

    metropole = Projet.objects.select_related("porteur").get(
        slug="direction-generale-transformation-bordeaux-metropole"
    )
    assert metropole.membre == demo_members.metropole
    assert metropole.porteur.collectivite == demo_members.metropole.collectivite
    assert metropole.porteur.membre == demo_members.metropole
    assert Projet.objects.get(slug="dkcl-dunkerque").membre is None


def test_it_records_partners(db):
    seed_load()

    atlaas = Projet.objects.get(slug="atlaas")
    assert atlaas.porteur.nom == "Villes Internet"
    assert {(p.acteur.nom, p.role) for p in atlaas.participations.select_related("acteur")} == {
        ("DATAR", "partenaire_public"),
        ("Délégation aux usages de l’internet (DUI)", "partenaire_public"),
    }
    ebourgogne = Projet.objects.get(slug="e-bourgogne")
    assert [p.acteur.nom for p in ebourgogne.participations.all()] == ["Mégalis Bretagne"]


def test_it_records_the_software_named_and_who_uses_it(db):
    seed_load()

    assert list(Projet.objects.get(slug="dkcl-dunkerque").logiciels.values_list("nom", flat=True))
    usage = LogicielUsage.objects.select_related("acteur").get(logiciel__nom="DansMaRue")
    assert usage.acteur.nom == "Ville de Paris" and usage.referent
    drome = Projet.objects.get(slug="reseau-epn-drome")
    assert set(drome.logiciels.values_list("nom", flat=True)) == {"PIX", "Aidants Connect"}
    # Named by the documents though no seeded project uses it.
    assert Logiciel.objects.filter(nom="FranceConnect").exists()
    # No document says any of them is libre.
    assert not Logiciel.objects.filter(libre=True).exists()
