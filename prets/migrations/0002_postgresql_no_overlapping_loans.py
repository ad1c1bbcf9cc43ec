"""On PostgreSQL, the database also refuses two active loans or reservations of one unit whose dates meet
(overdue loans aside, which the services keep counting as busy). SQLite relies on the locked check and the
unique partial constraint of 0001."""

from django.db import migrations

CONSTRAINT = "prets_loan_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE prets_loan ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(unit_id WITH =, daterange(start_date, due_date, '[]') WITH &&) "
        "WHERE (status IN ('reserved', 'out'))"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE prets_loan DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("prets", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
