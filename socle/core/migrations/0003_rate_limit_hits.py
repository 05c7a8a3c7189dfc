"""The rate limits' counted actions (socle.core.ratelimit), for reports and verification."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outboxmessage_claim"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateLimitHit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cle", models.CharField(max_length=64)),
                ("cree_le", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["cle", "cree_le"], name="ratelimit_cle"),
                    models.Index(fields=["cree_le"], name="ratelimit_age"),
                ],
            },
        ),
    ]
