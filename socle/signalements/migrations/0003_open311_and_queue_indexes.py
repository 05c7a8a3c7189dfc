"""Two partial indexes measured by bench/signalements.py on 1,000,000 reports.

- signalement_open311: Open311 lists read public reports of a member by category and status
  in a date window, newest first; without it PostgreSQL intersects the queue index with the
  200,000-row bitmap of the category's index.
- signalement_queue_confirme: the count of an agent's queue (confirmed reports of the member's
  services by status) becomes an index-only scan.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("signalements", "0002_seed_platform_categories")]

    operations = [
        migrations.AddIndex(
            model_name="signalement",
            index=models.Index(
                fields=["membre", "categorie", "statut", "-cree_le"],
                condition=models.Q(publie_le__isnull=False, masque_le__isnull=True),
                name="signalement_open311",
            ),
        ),
        migrations.AddIndex(
            model_name="signalement",
            index=models.Index(
                fields=["membre", "service", "statut", "-cree_le"],
                condition=models.Q(confirme_le__isnull=False),
                name="signalement_queue_confirme",
            ),
        ),
    ]
