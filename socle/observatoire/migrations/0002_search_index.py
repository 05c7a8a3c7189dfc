"""The observatory's search index (socle/observatoire/recherche.py), by database.

Both databases get `observatoire_recherche`, one row per *published* project: what search
filters and counts (status, themes as a bit mask, département, région, population band,
software ids, carrier's position and population, publication date, a 64-bit signature of the
title's words), which each process reads into its columnar cache, and `observatoire_recherche_version`, a counter bumped whenever that
table changes, so that every process knows when to read it again. Then the full-text part:

- PostgreSQL: a `recherche tsvector` column ('simple' configuration over the already stemmed,
  accent-folded words of `socle.observatoire.text`; the title's words weighted A) with a GIN
  index, stored out of the row (TOAST) so that reading the rows that match never reads the
  documents (see `remplissage` below).
  `observatoire_recherche_mot` keeps each word's number of documents (similar projects weigh
  words with it). Triggers keep everything right when a project row is deleted or the project
  table truncated (Django's flush in tests).
- SQLite: an FTS5 table `observatoire_recherche_fts(titre, corps)` (unicode61 tokenizer, rowid =
  project id) and `observatoire_recherche_mot`, an fts5vocab table over it (documents per word);
  a trigger drops a deleted project's entries.

None of it is in the models' state (raw SQL, like opendata's GIN index): `models.py` does not
change, Django never sees these tables. A later migration that rebuilds observatoire_projet on
SQLite drops its trigger; `recherche.index_rebuild()` creates it again.
"""

from django.db import migrations

PG_CREATE = [
    """
    CREATE TABLE observatoire_recherche (
        projet_id bigint PRIMARY KEY,
        publie_le double precision NOT NULL,
        statut varchar(10) NOT NULL,
        themes integer NOT NULL,
        departement_code varchar(3) NOT NULL,
        region_code varchar(3) NOT NULL,
        tranche varchar(20) NOT NULL,
        population integer NULL,
        latitude double precision NULL,
        longitude double precision NULL,
        logiciels bigint[] NOT NULL,
        titre_signature bigint NOT NULL,
        recherche tsvector NOT NULL,
        remplissage text NULL
    ) WITH (toast_tuple_target = 128)
    """,
    # The document's vector lives out of the row (TOAST, uncompressed): reading the rows that
    # match a word never reads the documents (a row is ~150 bytes instead of ~1.3 kB: 15 MB to
    # read instead of 120 MB for 100,000 projects). PostgreSQL
    # moves values out only from rows over ~2 kB (TOAST_TUPLE_THRESHOLD, whatever
    # toast_tuple_target says), so each row is written with `remplissage`, 2,100 spaces that
    # make it that long and compress to ~30 bytes; toast_tuple_target = 128 then has the
    # vector moved out.
    "ALTER TABLE observatoire_recherche ALTER COLUMN recherche SET STORAGE EXTERNAL",
    # …and only the vector: the software ids and the filler stay in the row (compressed at most),
    # or every read of the columns would fetch them back from TOAST one row at a time.
    "ALTER TABLE observatoire_recherche ALTER COLUMN logiciels SET STORAGE MAIN",
    "ALTER TABLE observatoire_recherche ALTER COLUMN remplissage SET STORAGE MAIN",
    "CREATE INDEX observatoire_recherche_gin ON observatoire_recherche USING gin (recherche)",
    """
    CREATE TABLE observatoire_recherche_mot (
        mot varchar(200) PRIMARY KEY,
        documents integer NOT NULL
    )
    """,
    """
    CREATE TABLE observatoire_recherche_version (
        id integer PRIMARY KEY,
        version bigint NOT NULL
    )
    """,
    "INSERT INTO observatoire_recherche_version (id, version) VALUES (1, 0)",
    """
    CREATE FUNCTION observatoire_recherche_oubli() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM observatoire_recherche WHERE projet_id = OLD.id) THEN
            INSERT INTO observatoire_recherche_mot AS m (mot, documents)
                SELECT unnest(tsvector_to_array(recherche)) AS mot, -1
                FROM observatoire_recherche WHERE projet_id = OLD.id ORDER BY 1
                ON CONFLICT (mot) DO UPDATE SET documents = m.documents - 1;
            DELETE FROM observatoire_recherche WHERE projet_id = OLD.id;
            UPDATE observatoire_recherche_version SET version = version + 1 WHERE id = 1;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER observatoire_recherche_oubli AFTER DELETE ON observatoire_projet
        FOR EACH ROW EXECUTE FUNCTION observatoire_recherche_oubli()
    """,
    """
    CREATE FUNCTION observatoire_recherche_vidage() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE observatoire_recherche, observatoire_recherche_mot;
        UPDATE observatoire_recherche_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER observatoire_recherche_vidage AFTER TRUNCATE ON observatoire_projet
        FOR EACH STATEMENT EXECUTE FUNCTION observatoire_recherche_vidage()
    """,
]

PG_DROP = [
    "DROP TRIGGER IF EXISTS observatoire_recherche_vidage ON observatoire_projet",
    "DROP TRIGGER IF EXISTS observatoire_recherche_oubli ON observatoire_projet",
    "DROP FUNCTION IF EXISTS observatoire_recherche_vidage()",
    "DROP FUNCTION IF EXISTS observatoire_recherche_oubli()",
    "DROP TABLE IF EXISTS observatoire_recherche_version",
    "DROP TABLE IF EXISTS observatoire_recherche_mot",
    "DROP TABLE IF EXISTS observatoire_recherche",
]

SQLITE_TRIGGER = """
    CREATE TRIGGER IF NOT EXISTS observatoire_recherche_oubli AFTER DELETE ON observatoire_projet
    BEGIN
        DELETE FROM observatoire_recherche WHERE projet_id = OLD.id;
        DELETE FROM observatoire_recherche_fts WHERE rowid = OLD.id;
        UPDATE observatoire_recherche_version SET version = version + 1 WHERE id = 1;
    END
"""

SQLITE_CREATE = [
    """
    CREATE TABLE observatoire_recherche (
        projet_id integer PRIMARY KEY,
        publie_le real NOT NULL,
        statut varchar(10) NOT NULL,
        themes integer NOT NULL,
        departement_code varchar(3) NOT NULL,
        region_code varchar(3) NOT NULL,
        tranche varchar(20) NOT NULL,
        population integer NULL,
        latitude real NULL,
        longitude real NULL,
        logiciels text NOT NULL,
        titre_signature bigint NOT NULL
    )
    """,
    "CREATE VIRTUAL TABLE observatoire_recherche_fts USING fts5(titre, corps, "
    "tokenize = 'unicode61')",
    "CREATE VIRTUAL TABLE observatoire_recherche_mot USING fts5vocab(observatoire_recherche_fts, "
    "'row')",
    """
    CREATE TABLE observatoire_recherche_version (
        id integer PRIMARY KEY,
        version bigint NOT NULL
    )
    """,
    "INSERT INTO observatoire_recherche_version (id, version) VALUES (1, 0)",
    SQLITE_TRIGGER,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS observatoire_recherche_oubli",
    "DROP TABLE IF EXISTS observatoire_recherche_version",
    "DROP TABLE IF EXISTS observatoire_recherche_mot",
    "DROP TABLE IF EXISTS observatoire_recherche_fts",
    "DROP TABLE IF EXISTS observatoire_recherche",
]


def index_create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor)
    if statements is None:
        raise RuntimeError(f"The observatory's search supports PostgreSQL and SQLite, not {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def index_drop(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0001_observatory")]

    operations = [migrations.RunPython(index_create, index_drop)]
