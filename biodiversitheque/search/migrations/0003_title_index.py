"""A title-only full-text index: the first tier of ranking and autocomplete read titles without the bodies.

SQLite: a second external-content FTS5 table (title terms, title words with prefixes), fed by triggers.
PostgreSQL: a generated tsvector of the normalised title with a GIN index.
"""

from django.db import migrations

COLUMNS = "title_norm, title_words"
NEW = "new.id, new.title_norm, new.title_words"
OLD = "old.id, old.title_norm, old.title_words"

SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS sitesearch_fts_title USING fts5({COLUMNS}, "
    "content='sitesearch_searchdocument', content_rowid='id', tokenize='unicode61', prefix='2 3 4')",
    "CREATE TRIGGER IF NOT EXISTS sitesearch_fts_title_insert AFTER INSERT ON sitesearch_searchdocument BEGIN "
    f"INSERT INTO sitesearch_fts_title(rowid, {COLUMNS}) VALUES ({NEW}); END",
    "CREATE TRIGGER IF NOT EXISTS sitesearch_fts_title_delete AFTER DELETE ON sitesearch_searchdocument BEGIN "
    f"INSERT INTO sitesearch_fts_title(sitesearch_fts_title, rowid, {COLUMNS}) VALUES ('delete', {OLD}); END",
    "CREATE TRIGGER IF NOT EXISTS sitesearch_fts_title_update AFTER UPDATE ON sitesearch_searchdocument BEGIN "
    f"INSERT INTO sitesearch_fts_title(sitesearch_fts_title, rowid, {COLUMNS}) VALUES ('delete', {OLD}); "
    f"INSERT INTO sitesearch_fts_title(rowid, {COLUMNS}) VALUES ({NEW}); END",
    "INSERT INTO sitesearch_fts_title(sitesearch_fts_title) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS sitesearch_fts_title_insert",
    "DROP TRIGGER IF EXISTS sitesearch_fts_title_delete",
    "DROP TRIGGER IF EXISTS sitesearch_fts_title_update",
    "DROP TABLE IF EXISTS sitesearch_fts_title",
]
POSTGRES = [
    "ALTER TABLE sitesearch_searchdocument ADD COLUMN IF NOT EXISTS title_search tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, title_norm)) STORED",
    "CREATE INDEX IF NOT EXISTS sitesearch_document_title_search ON sitesearch_searchdocument USING GIN (title_search)",
]
POSTGRES_REVERSE = ["ALTER TABLE sitesearch_searchdocument DROP COLUMN IF EXISTS title_search"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0002_engine_indexes")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
