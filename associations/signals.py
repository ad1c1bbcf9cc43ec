"""Keep each association's admin space (group, events folder, workflow) in step with the association."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published


def association_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import ensure_association_space

    ensure_association_space(instance)


def association_deleted(sender, instance, **kwargs):
    from django.contrib.auth.models import Group

    if instance.members_group_id:
        Group.objects.filter(pk=instance.members_group_id).delete()


def agenda_published(sender, instance, **kwargs):
    """An agenda created after the associations: give each one its folder."""
    from .models import Association
    from .services import ensure_association_space

    for association in Association.objects.filter(events_page__isnull=True):
        ensure_association_space(association)


def connect():
    from ateliers.models import AgendaPage

    from .models import Association

    post_save.connect(association_saved, sender=Association, dispatch_uid="associations_space")
    post_delete.connect(association_deleted, sender=Association, dispatch_uid="associations_group_cleanup")
    page_published.connect(agenda_published, sender=AgendaPage, dispatch_uid="associations_agenda_folders")
