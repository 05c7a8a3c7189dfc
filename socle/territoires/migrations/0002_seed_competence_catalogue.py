from django.db import migrations


def seed(apps, schema_editor):
    from socle.territoires.competences import CATALOGUE

    Competence = apps.get_model("territoires", "Competence")
    RoutingVersion = apps.get_model("territoires", "RoutingVersion")
    for code, nom, level, epci_types, description in CATALOGUE:
        Competence.objects.update_or_create(
            code=code,
            defaults={
                "nom": nom,
                "default_level": level,
                "epci_types": epci_types,
                "description": description,
            },
        )
    RoutingVersion.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("territoires", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
