"""The association's events folder is the agenda's (`ateliers.AssociationEventsPage`): this app forgets
the model; `ateliers` 0006 takes over its table and rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("associations", "0005_association_image_collection")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("AssociationEventsPage")]),
    ]
