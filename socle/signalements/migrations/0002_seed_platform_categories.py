"""The platform's taxonomy of reports, each tied to a competence of the catalogue."""

from django.db import migrations


def seed(apps, schema_editor):
    from socle.signalements.taxonomy import taxonomy_sync

    taxonomy_sync(
        apps.get_model("signalements", "Categorie"), apps.get_model("territoires", "Competence")
    )


def unseed(apps, schema_editor):
    from socle.signalements.taxonomy import TAXONOMY

    # A plain DELETE: the ORM's cascade collector, run on the historical models of a long
    # backwards plan, can compare two renderings of Categorie and refuse its own rows.
    codes = [row[0] for row in TAXONOMY]
    table = apps.get_model("signalements", "Categorie")._meta.db_table
    placeholders = ", ".join(["%s"] * len(codes))
    schema_editor.execute(
        f"DELETE FROM {table} WHERE membre_id IS NULL AND code IN ({placeholders})",  # noqa: S608
        codes,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("signalements", "0001_reports_categories_photos_history"),
        ("territoires", "0002_seed_competence_catalogue"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
