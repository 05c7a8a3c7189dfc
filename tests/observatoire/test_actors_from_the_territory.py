"""A collectivité of the loaded territory becomes an actor with its place and size, an EPCI
included (the territory records neither for it: its communes give them)."""

from socle.observatoire.services import acteur_ensure_collectivite, acteur_ensure_membre
from socle.territoires.models import Collectivite


def test_it_places_a_commune_at_its_mairie(demo_members):
    acteur = acteur_ensure_membre(membre=demo_members.pessac)
    commune = demo_members.pessac.collectivite
    assert (acteur.latitude, acteur.longitude) == (commune.latitude, commune.longitude)
    assert acteur.population == commune.population
    assert (acteur.departement_code, acteur.type_collectivite) == ("33", "commune")
    assert acteur.membre == demo_members.pessac


def test_it_places_an_epci_among_its_communes_and_sums_their_population(demo_members):
    metropole = demo_members.metropole.collectivite
    communes = Collectivite.objects.filter(epci=metropole, kind="commune", active=True)
    acteur = acteur_ensure_collectivite(collectivite=metropole)
    assert acteur.population == sum(c.population or 0 for c in communes) > 700_000
    assert 44.7 < acteur.latitude < 45.0 and -0.8 < acteur.longitude < -0.4


def test_it_refreshes_the_same_actor_rather_than_making_another(demo_members):
    first = acteur_ensure_membre(membre=demo_members.pessac)
    again = acteur_ensure_membre(membre=demo_members.pessac)
    assert first.pk == again.pk
