"""On PostgreSQL, a trigram GIN index on the applicant's name, upper-cased.

The agents' queue searches a name as Django's `usager_nom__icontains` writes it on PostgreSQL,
`UPPER(usager_nom::text) LIKE UPPER('%martin%')`: no B-tree can serve « contains », so without
this index the search reads every dossier of the agent's scope (42,000 rows at 100,000 dossiers,
bench/demarches.py: 30–37 ms of SQL). With it, a search of three letters or more reads only the
rows holding its trigrams (0.4–8 ms). A search of one or two letters still scans.

`pg_trgm` ships with Debian's PostgreSQL server package (postgresql-contrib) and is a trusted
extension since PostgreSQL 13: a role with CREATE on the database may create it. Otherwise a
superuser runs `CREATE EXTENSION pg_trgm` once beforehand, and this migration finds it there.

Nothing on SQLite (no GIN, no trigrams): not in the models' state, so that SQLite never sees it
and `makemigrations` stays clean; `django.contrib.postgres` is not needed. Going back drops the
index and leaves the extension (other tables may use it).
"""

from django.db import migrations

INDEX = "dossier_nom_trgm"


def index_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("demarches", "Dossier")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The expression is the one Django's icontains compares (upper of the column as text).
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} "
        "USING gin ((upper(usager_nom::text)) gin_trgm_ops)"
    )


def index_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("demarches", "0004_document_un_valide_par_kind")]

    operations = [migrations.RunPython(index_create, index_drop)]
