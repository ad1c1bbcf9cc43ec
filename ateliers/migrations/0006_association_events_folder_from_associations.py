"""The association's events folder moves here from `associations` with its table and rows: the model is
taken over as it stands, its content type follows (pages keep their type), then the table is renamed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="associations", model="associationeventspage").update(app_label="ateliers")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="ateliers", model="associationeventspage").update(app_label="associations")


class Migration(migrations.Migration):
    dependencies = [
        ("ateliers", "0005_outbox_prerendered_messages_and_attachment"),
        ("associations", "0006_events_folder_moves_to_the_agenda"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="AssociationEventsPage",
                fields=[
                    ("page_ptr", models.OneToOneField(
                        auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True,
                        primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                    ("association", models.OneToOneField(
                        null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="events_page",
                        to="associations.association", verbose_name="association")),
                ],
                options={
                    "verbose_name": "activités d'une association",
                    "verbose_name_plural": "activités des associations",
                    "db_table": "associations_associationeventspage",
                },
                bases=("wagtailcore.page",),
            ),
        ]),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterModelTable(name="associationeventspage", table=None),
    ]
