"""The member's catalogue of datasets, generated in the national catalogue schema."""

import csv
import io

from socle.opendata.models import Jeu
from socle.opendata.schemas import schema_load
from socle.opendata.services import jeu_create, opendata_generate, version_publish
from socle.opendata.validation import table_validate


def test_it_lists_every_published_dataset_of_the_member_valid(demo_members):
    metropole = demo_members.metropole
    deposited = jeu_create(
        acting_user=None,
        membre=metropole,
        titre="Prénoms des nouveaux-nés",
        schema="",
        frequence=Jeu.Frequence.ANNUELLE,
    )
    version_publish(acting_user=None, jeu=deposited, contenu=b"prenom,nombre\nLouise,12\n")
    opendata_generate(membre=metropole)

    jeu = Jeu.objects.get(membre=metropole, generateur="catalogue")
    assert jeu.schema == "scdl/catalogue"
    version = jeu.versions.get()
    text = version.fichier.open("rb").read().decode("utf-8")
    rapport = table_validate(text, schema_load("scdl/catalogue"))
    assert rapport.valide, rapport.texte()
    rows = {row["ID"]: row for row in csv.DictReader(io.StringIO(text))}
    # Every published dataset but the catalogue itself (there is no public report yet).
    assert set(rows) == {"equipements", "elus", deposited.slug}
    equipements = rows["equipements"]
    assert equipements["COLL_NOM"] == equipements["PRODUCTEUR_NOM"] == "Bordeaux Métropole"
    assert equipements["COUV_SPAT_MAILLE"] == "Intercommunale"
    assert equipements["LICENCE"] == "Licence Ouverte-LO"
    assert equipements["FORMAT_RESSOURCES"] == "csv;json;geojson"
    assert equipements["URL"].endswith("/bordeaux-metropole/donnees/equipements/")
    assert rows[deposited.slug]["FREQ_MAJ"] == "Annuelle"
    assert rows[deposited.slug]["FORMAT_RESSOURCES"] == "csv;json"
