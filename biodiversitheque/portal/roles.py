"""The site-wide roles, set up after every `migrate` (idempotent): the "Bibliothécaires" group with its
rights on every app, and the moderation workflow that association events go through. Existing groups and
workflows of the same name are completed, never replaced."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from ateliers.moderation import ensure_moderation_workflow
from biodiversitheque.core.roles import LIBRARIANS_GROUP
from demarches.calls.roles import ensure_roles as ensure_call_roles
from demarches.permits.roles import ensure_roles as ensure_permit_roles
from prets.roles import ensure_roles as ensure_lending_roles

MODEL_PERMISSIONS = [
    ("wagtailadmin", ("access_admin",)),
    ("associations", ("add_association", "change_association", "delete_association", "view_association",
                      "add_membership", "change_membership", "delete_membership", "view_membership")),
    ("biodiversitheque", ("add_theme", "change_theme", "add_audience", "change_audience", "change_sitesettings")),
    # Search reports (what residents look for and do not find), synonyms and promoted results.
    ("sitesearch", ("view_unmatchedquery", "add_synonym", "change_synonym", "delete_synonym", "view_synonym")),
    ("wagtailsearchpromotions", ("add_searchpromotion", "change_searchpromotion", "delete_searchpromotion")),
    ("ressources", ("add_observation", "change_observation", "delete_observation", "view_observation",
                    "add_taxon", "change_taxon", "view_taxon")),
    ("ateliers", ("view_occurrence", "change_occurrence", "cancel_occurrence", "add_registration",
                  "change_registration", "delete_registration", "view_registration", "view_outgoingemail")),
]
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = [
    ("wagtailimages", ("add_image", "change_image", "delete_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "delete_document", "choose_document")),
]
# Each app above the agenda sets up its own groups (`<app>.roles.ensure_roles`), called from here.
APP_ROLES = [ensure_call_roles, ensure_permit_roles, ensure_lending_roles]


def _permission(app_label, codename):
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def ensure_roles():
    librarians, _created = Group.objects.get_or_create(name=LIBRARIANS_GROUP)
    for app_label, codenames in MODEL_PERMISSIONS:
        librarians.permissions.add(*filter(None, (_permission(app_label, code) for code in codenames)))
    root = Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            found = _permission("wagtailcore", codename)
            if found:
                GroupPagePermission.objects.get_or_create(group=librarians, page=root, permission=found)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                found = _permission(app_label, codename)
                if found:
                    GroupCollectionPermission.objects.get_or_create(
                        group=librarians, collection=root_collection, permission=found
                    )
    ensure_moderation_workflow()
    for ensure_app_roles in APP_ROLES:
        ensure_app_roles()
    return librarians


def after_migrate(sender, using="default", **kwargs):
    # Django creates each app's permissions when that app's post_migrate is sent: the roles need those of
    # every app (Wagtail's, installed after the portal, included), so they wait for the last one.
    last = [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]
    if using == "default" and sender is last:
        ensure_roles()
