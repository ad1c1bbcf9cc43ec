"""Each association's folder under the agenda, made with the association: its members add events there
(add and change, never publish) and the moderation workflow sends them to the librarians."""

from django.contrib.auth.models import Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page, WorkflowPage

from associations.models import Association
from associations.services import ensure_association_access

from .models import AgendaPage, AssociationEventsPage
from .moderation import ensure_moderation_workflow

MEMBER_PAGE_PERMISSIONS = ("add_page", "change_page")  # no publish: publishing goes through the workflow


@transaction.atomic
def ensure_events_folder(association):
    """Create or update the association's folder under the agenda, with its members' page permissions
    and the moderation workflow. Idempotent; returns the folder, or None while there is no agenda."""
    group = ensure_association_access(association)
    folder = AssociationEventsPage.objects.filter(association=association).first()
    if folder is None:
        agenda = AgendaPage.objects.first()
        if agenda is None:
            return None
        folder = AssociationEventsPage(
            title=association.name, slug=_free_slug(agenda, association.slug), association=association
        )
        agenda.add_child(instance=folder)
        folder.save_revision().publish()
    elif folder.title != association.name:
        folder.title = association.name
        folder.save_revision().publish()
    for codename in MEMBER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=folder, permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    if not WorkflowPage.objects.filter(page=folder).exists():
        WorkflowPage.objects.create(page=folder, workflow=ensure_moderation_workflow())
    return folder


def ensure_all_folders():
    """An agenda published after the associations: give each one its folder."""
    for association in Association.objects.filter(events_page__isnull=True):
        ensure_events_folder(association)


def _free_slug(parent, wanted):
    slug, number = wanted, 1
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        number += 1
        slug = f"{wanted}-{number}"
    return slug
