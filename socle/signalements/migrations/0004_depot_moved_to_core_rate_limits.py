"""The anonymous writes' counts move to core.RateLimitHit, shared with the verification page.

Their rows are not carried over: they count the last hour only, so the limits start afresh once,
at the upgrade.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("signalements", "0003_open311_and_queue_indexes"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Depot",
        ),
    ]
