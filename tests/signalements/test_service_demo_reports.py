"""The demo files a dozen reports through the services, answered by the demo agents, quickly
and once."""

import time
from collections import Counter

from socle.demo.setup import SIGNALEMENTS, setup_members, setup_signalements
from socle.signalements.models import Evenement, Signalement
from socle.signalements.selectors import signalements_for_user, signalements_public


def test_it_files_the_demo_reports_quickly_and_only_once(db, gironde):
    demo = setup_members()
    started = time.monotonic()
    assert setup_signalements(demo.users) == len(SIGNALEMENTS) >= 12
    assert time.monotonic() - started < 2.0
    assert setup_signalements(demo.users) == 0
    assert Signalement.objects.count() == len(SIGNALEMENTS)

    statuses = Counter(Signalement.objects.values_list("statut", flat=True))
    assert {"nouveau", "pris_en_compte", "programme", "en_cours", "resolu", "rejete"} <= set(
        statuses
    )
    assert Signalement.objects.filter(membre__slug="pessac").exists()
    assert Signalement.objects.filter(membre__slug="bordeaux").exists()
    assert Signalement.objects.filter(membre__slug="bordeaux-metropole").count() >= 4
    assert Signalement.objects.filter(membre__isnull=True, titulaire_nom="Saint-Émilion").exists()
    assert signalements_public().count() == len(SIGNALEMENTS)
    assert Evenement.objects.filter(kind=Evenement.Kind.REPONSE, public=True).count() >= 5
    rejected = Signalement.objects.get(statut="rejete")
    assert rejected.evenements.get(kind=Evenement.Kind.STATUT).texte

    # The Métropole's demo agent has a queue.
    agent = demo.users["agent@bordeaux-metropole.socle.localhost"]
    metropole = demo.members["bordeaux-metropole"]
    assert signalements_for_user(user=agent, membre=metropole).count() >= 2
