import uuid

from django.db import migrations, models


def give_ids(apps, schema_editor):
    Observation = apps.get_model("ressources", "Observation")
    batch = []
    for observation in Observation.objects.only("pk").iterator(chunk_size=2000):
        observation.sinp_id = uuid.uuid4()
        batch.append(observation)
        if len(batch) == 2000:
            Observation.objects.bulk_update(batch, ["sinp_id"])
            batch = []
    Observation.objects.bulk_update(batch, ["sinp_id"])


class Migration(migrations.Migration):
    dependencies = [("ressources", "0004_taxon_taxref_reference")]

    # Added empty, filled one UUID per row, then made unique: a callable default is evaluated once for
    # a column added to existing rows.
    operations = [
        migrations.AddField(
            model_name="observation", name="sinp_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="identifiant SINP"),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="observation", name="sinp_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="identifiant SINP"),
        ),
    ]
