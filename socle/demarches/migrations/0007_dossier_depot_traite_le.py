"""Filing's follow-ups (receipt, mails, webhooks) move to the worker: when they were made.

Dossiers filed before this migration had them made in their filing's transaction, so they are
marked done at their filing date; the partial index lets the schedule find the ones still
waiting without reading the table.
"""

from django.db import migrations, models


def mark_filed_done(apps, schema_editor) -> None:
    Dossier = apps.get_model("demarches", "Dossier")
    Dossier.objects.filter(depose_le__isnull=False).update(depot_traite_le=models.F("depose_le"))


class Migration(migrations.Migration):
    dependencies = [
        ("demarches", "0006_dossier_agent_queue_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="depot_traite_le",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_filed_done, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("depose_le__isnull", False), ("depot_traite_le__isnull", True)),
                fields=["depose_le"],
                name="dossier_depot_a_traiter",
            ),
        ),
    ]
