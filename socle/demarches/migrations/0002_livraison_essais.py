from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("demarches", "0001_procedures_and_dossiers")]

    operations = [
        migrations.AddField(
            model_name="livraison",
            name="essais",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
