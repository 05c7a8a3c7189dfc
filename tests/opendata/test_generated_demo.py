"""On `make run`, Bordeaux Métropole's open data lists its generated datasets, quickly, once."""

import time

from socle.demo.setup import setup_members, setup_opendata, setup_signalements
from socle.opendata.models import Version
from socle.opendata.selectors import jeux_publics


def test_it_generates_the_metropole_datasets_quickly_and_once(db, gironde):
    demo = setup_members()
    setup_signalements(demo.users)
    metropole = demo.members["bordeaux-metropole"]

    started = time.monotonic()
    published = setup_opendata()
    assert time.monotonic() - started < 3.0

    assert {jeu.slug for jeu in jeux_publics(membre=metropole)} == {
        "equipements",
        "signalements",
        "elus",
        "catalogue",
    }
    # Pessac publishes too (the demo's reports on its lighting among them).
    assert {jeu.slug for jeu in jeux_publics(membre=demo.members["pessac"])} == {
        "equipements",
        "signalements",
        "elus",
        "catalogue",
    }
    assert not jeux_publics(membre=demo.members["bordeaux"]).exists()
    assert published == 8 == Version.objects.count()
    assert setup_opendata() == 0
    assert Version.objects.count() == 8


def test_it_switches_the_module_on_for_a_demo_database_made_before_it(db, gironde):
    demo = setup_members()
    metropole = demo.members["bordeaux-metropole"]
    metropole.modules = ["signalements"]
    metropole.save(update_fields=["modules"])

    # The Métropole's three datasets (no public report yet), and Pessac's three.
    assert setup_opendata() == 6
    metropole.refresh_from_db()
    assert "opendata" in metropole.modules
