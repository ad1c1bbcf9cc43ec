"""The « Instructeurs des appels » group: instruct, decide, follow up; edit the calls' pages."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from .choices import INSTRUCTORS_GROUP
from .models import CallIndexPage

INSTRUCTOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("demarches", "view_application"), ("demarches", "change_application"),
    ("demarches", "decide_application"),
    ("demarches", "view_applicationfile"), ("demarches", "view_applicantaccess"),
    ("demarches", "view_instructornote"), ("demarches", "add_instructornote"),
    ("demarches", "view_review"), ("demarches", "add_review"), ("demarches", "change_review"),
    ("demarches", "view_score"),
    ("demarches", "view_milestone"), ("demarches", "change_milestone"),
    ("demarches", "view_instalment"), ("demarches", "add_instalment"), ("demarches", "change_instalment"),
    ("demarches", "delete_instalment"),
]
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def ensure_roles():
    group, _created = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    permissions = [Permission.objects.get(content_type__app_label=app, codename=codename)
                   for app, codename in INSTRUCTOR_PERMISSIONS]
    group.permissions.set(permissions)
    index = CallIndexPage.objects.first()
    if index is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename))
    return group
