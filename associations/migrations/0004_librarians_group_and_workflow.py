"""Every installation gets the "Bibliothécaires" group (editing, publishing, moderating, the snippets and
the agenda's registrations) and the "Validation par la biodiversithèque" workflow that association
events go through. Existing groups and workflows of the same name are completed, never replaced."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARIANS_GROUP = "Bibliothécaires"
WORKFLOW_NAME = "Validation par la biodiversithèque"
TASK_NAME = "Validation par l'équipe de la biodiversithèque"

MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ("access_admin",)),
    ("associations", "association", ("add_association", "change_association", "delete_association",
                                     "view_association")),
    ("associations", "membership", ("add_membership", "change_membership", "delete_membership",
                                    "view_membership")),
    ("biodiversitheque", "theme", ("add_theme", "change_theme")),
    ("biodiversitheque", "audience", ("add_audience", "change_audience")),
    ("biodiversitheque", "sitesettings", ("change_sitesettings",)),
    ("ressources", "observation", ("add_observation", "change_observation", "delete_observation",
                                   "view_observation")),
    ("ressources", "taxon", ("add_taxon", "change_taxon", "view_taxon")),
    ("ateliers", "occurrence", ("view_occurrence", "change_occurrence", "cancel_occurrence")),
    ("ateliers", "registration", ("add_registration", "change_registration", "delete_registration",
                                  "view_registration")),
    ("ateliers", "outgoingemail", ("view_outgoingemail",)),
]
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = [
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
]


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=LIBRARIANS_GROUP)
    for app_label, _model, codenames in MODEL_PERMISSIONS:
        for codename in codenames:
            found = permission(apps, app_label, codename)
            if found:
                group.permissions.add(found)

    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()
    if root:
        for codename in PAGE_PERMISSIONS:
            found = permission(apps, "wagtailcore", codename)
            if found:
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=found)

    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection:
        for app_label, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                found = permission(apps, app_label, codename)
                if found:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=found
                    )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _created = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
        task.groups.add(group)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_membership_and_events_folder"),
        ("ateliers", "0001_agenda_events_occurrences_registrations"),
        ("biodiversitheque", "0003_default_taxonomy"),
        ("ressources", "0003_link_existing_observations_to_taxa"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
