"""The platform's taxonomy of reports, each tied to a competence of the catalogue."""

from django.db import migrations


def seed(apps, schema_editor):
    from socle.signalements.taxonomy import taxonomy_sync

    taxonomy_sync(
        apps.get_model("signalements", "Categorie"), apps.get_model("territoires", "Competence")
    )


def unseed(apps, schema_editor):
    from socle.signalements.taxonomy import TAXONOMY

    Categorie = apps.get_model("signalements", "Categorie")
    Categorie.objects.filter(membre=None, code__in=[row[0] for row in TAXONOMY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("signalements", "0001_reports_categories_photos_history"),
        ("territoires", "0002_seed_competence_catalogue"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
