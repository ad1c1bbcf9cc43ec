"""Keep each association's members group and image collection in step with the association."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save

from .models import Association
from .services import ensure_association_access


def association_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ensure_association_access(instance)


def association_deleted(sender, instance, **kwargs):
    if instance.members_group_id:
        Group.objects.filter(pk=instance.members_group_id).delete()


def connect():
    post_save.connect(association_saved, sender=Association, dispatch_uid="associations_space")
    post_delete.connect(association_deleted, sender=Association, dispatch_uid="associations_group_cleanup")
