"""PostgreSQL: a `french_unaccent` text search configuration (unaccent, then the French Snowball stemmer).

The index itself keeps the `simple` configuration over text normalised in Python (same matching on every
engine); this configuration serves PostgreSQL-only extras, such as ts_headline excerpts of the raw text.
Idempotent; CREATE EXTENSION needs a superuser (or the extension created beforehand by one).
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END
    $$
    """,
]
POSTGRES_REVERSE = ["DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0003_title_index")]

    operations = [migrations.RunPython(run(POSTGRES), run(POSTGRES_REVERSE))]
