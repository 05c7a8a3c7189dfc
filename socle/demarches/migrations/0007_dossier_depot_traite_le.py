"""Filing's follow-ups (receipt, mails, webhooks) move to the worker: when they were made.

Dossiers filed before this migration had them made in their filing's transaction, so they are
marked done at their filing date, in batches of their own transactions (the table is not locked
for the whole update at the national scale); the partial index lets the schedule find the ones
still waiting without reading the table. Stop the old processes before migrating (as
scripts/production_start.sh does): a dossier filed by the old code after this update would
have its mails sent a second time by the sweep.
"""

from django.db import migrations, models, transaction

BATCH = 10_000


def mark_filed_done(apps, schema_editor) -> None:
    Dossier = apps.get_model("demarches", "Dossier")
    waiting = Dossier.objects.filter(depose_le__isnull=False, depot_traite_le__isnull=True)
    last = 0
    while True:
        ids = list(waiting.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        with transaction.atomic():
            Dossier.objects.filter(pk__in=ids).update(depot_traite_le=models.F("depose_le"))
        last = ids[-1]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("demarches", "0006_dossier_agent_queue_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="depot_traite_le",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_filed_done, migrations.RunPython.noop, atomic=False),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("depose_le__isnull", False), ("depot_traite_le__isnull", True)),
                fields=["depose_le"],
                name="dossier_depot_a_traiter",
            ),
        ),
    ]
