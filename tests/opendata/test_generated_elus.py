"""The élus of a member, from the Répertoire national des élus: maires and adjoints."""

import csv
import io

from socle.opendata.generators import ELUS_COLONNES
from socle.opendata.models import Jeu
from socle.opendata.services import opendata_generate
from socle.territoires.models import Collectivite, Elu


def test_it_publishes_the_maires_and_adjoints_of_the_metropole_communes(demo_members):
    metropole = demo_members.metropole
    opendata_generate(membre=metropole)

    version = Jeu.objects.get(membre=metropole, generateur="elus").versions.get()
    assert version.colonnes == ELUS_COLONNES
    rows = list(csv.DictReader(io.StringIO(version.fichier.open("rb").read().decode("utf-8"))))
    communes = Collectivite.objects.filter(epci=metropole.collectivite, active=True)
    expected = Elu.objects.filter(commune__in=communes).exclude(fonction="")
    assert len(rows) == expected.count() > 28
    assert {row["code_insee"] for row in rows} == set(communes.values_list("code", flat=True))
    pessac = [row for row in rows if row["commune"] == "Pessac"]
    assert pessac[0]["fonction"] == "Maire"
    assert all(row["nom"] and row["prenom"] and row["date_debut_mandat"] for row in pessac)
    # Only the officials with a function: no plain conseillers, no birth date.
    assert "" not in {row["fonction"] for row in rows}
