"""A member's public reports, published anonymised in our documented schema: category, place,
dates and status; never the description nor anything about the reporter."""

import csv
import io
import json

from socle.demo.setup import setup_signalements
from socle.opendata.generators import SIGNALEMENTS_COLONNES
from socle.opendata.models import Jeu
from socle.opendata.schemas import SCHEMAS_DIR, schema_load
from socle.opendata.services import opendata_generate
from socle.opendata.validation import table_validate
from socle.signalements.models import Signalement
from socle.signalements.services import signalement_hide


def test_it_publishes_the_public_reports_without_personal_data(demo_members):
    metropole = demo_members.metropole
    setup_signalements(demo_members.users)
    hidden = Signalement.objects.filter(membre=metropole).order_by("pk").first()
    signalement_hide(acting_user=None, signalement=hidden, motif="Propos injurieux.")
    reports = list(
        Signalement.objects.filter(membre=metropole, masque_le__isnull=True).order_by("cree_le")
    )
    assert len(reports) >= 3

    opendata_generate(membre=metropole)

    jeu = Jeu.objects.get(membre=metropole, generateur="signalements")
    assert (jeu.slug, jeu.schema, jeu.frequence) == (
        "signalements",
        "socle/signalements",
        Jeu.Frequence.QUOTIDIENNE,
    )
    assert jeu.geographique
    version = jeu.versions.get()
    text = version.fichier.open("rb").read().decode("utf-8")
    assert table_validate(text, schema_load("socle/signalements")).valide
    assert version.rapport["valide"] and version.colonnes == SIGNALEMENTS_COLONNES
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == [report.reference for report in reports]
    assert hidden.reference not in text

    first = rows[0]
    report = reports[0]
    assert first["soustype"] == report.categorie_nom
    assert first["type"] == report.categorie.competence.nom
    assert (first["commune"], first["code_insee"]) == (report.commune_nom, report.commune_code)
    assert first["statut"] == report.statut
    assert first["date_declaration"][:4] == first["annee_declaration"]
    assert int(first["mois_declaration"]) == int(first["date_declaration"][5:7])

    # Nothing about the person, nor the free text.
    for report in reports:
        assert report.description not in text
        assert report.auteur.email not in text
        assert report.auteur.last_name not in text
    assert "citoyen" not in text.lower()
    assert not {"description", "email", "auteur", "nom", "telephone"} & set(version.colonnes)
    for ligne in version.lignes.all():
        assert set(ligne.donnees) == set(SIGNALEMENTS_COLONNES)


def test_it_documents_every_column_in_the_shipped_schema():
    descriptor = json.loads(
        (SCHEMAS_DIR / "socle-signalements" / "schema.json").read_text(encoding="utf-8")
    )
    assert [field["name"] for field in descriptor["fields"]] == SIGNALEMENTS_COLONNES
    assert all(field.get("title") for field in descriptor["fields"])
    assert schema_load("socle/signalements").descriptor == descriptor
