"""Engine-specific full-text structures over SearchDocument.

SQLite: an external-content FTS5 table kept in sync by triggers (prefix indexes for autocomplete).
PostgreSQL: generated tsvector columns (text already normalised in Python, so the 'simple' configuration),
GIN indexes, and pg_trgm for spelling suggestions. CREATE EXTENSION needs a superuser (or the extension
created beforehand by one).
"""

from django.db import migrations

COLUMNS = "title_norm, summary_norm, body_norm, title_words"
NEW = "new.id, new.title_norm, new.summary_norm, new.body_norm, new.title_words"
OLD = "old.id, old.title_norm, old.summary_norm, old.body_norm, old.title_words"

SQLITE = [
    f"CREATE VIRTUAL TABLE sitesearch_fts USING fts5({COLUMNS}, content='sitesearch_searchdocument', "
    "content_rowid='id', tokenize='unicode61', prefix='2 3 4')",
    f"CREATE TRIGGER sitesearch_fts_insert AFTER INSERT ON sitesearch_searchdocument BEGIN "
    f"INSERT INTO sitesearch_fts(rowid, {COLUMNS}) VALUES ({NEW}); END",
    f"CREATE TRIGGER sitesearch_fts_delete AFTER DELETE ON sitesearch_searchdocument BEGIN "
    f"INSERT INTO sitesearch_fts(sitesearch_fts, rowid, {COLUMNS}) VALUES ('delete', {OLD}); END",
    f"CREATE TRIGGER sitesearch_fts_update AFTER UPDATE ON sitesearch_searchdocument BEGIN "
    f"INSERT INTO sitesearch_fts(sitesearch_fts, rowid, {COLUMNS}) VALUES ('delete', {OLD}); "
    f"INSERT INTO sitesearch_fts(rowid, {COLUMNS}) VALUES ({NEW}); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS sitesearch_fts_insert",
    "DROP TRIGGER IF EXISTS sitesearch_fts_delete",
    "DROP TRIGGER IF EXISTS sitesearch_fts_update",
    "DROP TABLE IF EXISTS sitesearch_fts",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE sitesearch_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_norm), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, summary_norm), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, body_norm), 'C')) STORED",
    "ALTER TABLE sitesearch_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, title_words)) STORED",
    "CREATE INDEX sitesearch_document_search_vector ON sitesearch_searchdocument USING GIN (search_vector)",
    "CREATE INDEX sitesearch_document_title_vector ON sitesearch_searchdocument USING GIN (title_vector)",
    "CREATE INDEX sitesearch_term_trigram ON sitesearch_searchterm USING GIN (term gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS sitesearch_term_trigram",
    "ALTER TABLE sitesearch_searchdocument DROP COLUMN IF EXISTS title_vector",
    "ALTER TABLE sitesearch_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_search_index")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
