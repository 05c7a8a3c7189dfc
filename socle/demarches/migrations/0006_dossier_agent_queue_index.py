"""On PostgreSQL, the queue of an agent attached to services, in one covering index.

An agent's queue is `membre_id = M AND service_id IN (…) AND statut = S` (one per tab), newest
filed first. No index of the model holds both the member and the service: the tabs' bounded
counts (`selectors.capped_counts`, up to 1,000 a status) went through a bitmap of the whole
service (42,000 entries at 100,000 dossiers, bench/demarches.py) then read up to 1,000 rows
each from the table — ~18 ms of SQL a page for the five tabs. This index holds what those
queries filter and sort on, so they read it alone (index-only scans, the table's visibility map
kept by autovacuum): 1.3 ms for the five counts; the page's ids come from it in order; « assigned
to me » and a procedure filter without reading the rows either (the assignee and the procedure
are included).

PostgreSQL only, as 0004: not in the models' state (SQLite has no INCLUDE, and its queue is
small), so `makemigrations` stays clean.
"""

from django.db import migrations

INDEX = "dossier_agent_queue"


def index_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("demarches", "Dossier")._meta.db_table
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} "
        "(membre_id, service_id, statut, depose_le DESC, id DESC) "
        "INCLUDE (assigne_a_id, demarche_id)"
    )


def index_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("demarches", "0005_dossier_nom_trigram")]

    operations = [migrations.RunPython(index_create, index_drop)]
