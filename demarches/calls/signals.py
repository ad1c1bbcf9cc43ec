"""A call gets its committee group when it is first published."""

from wagtail.signals import page_published

from .models import CallPage
from .services import ensure_committee


def _on_publish(sender, instance, **kwargs):
    if instance.committee_group_id is None:
        ensure_committee(instance)


def connect():
    page_published.connect(_on_publish, sender=CallPage, dispatch_uid="calls_committee_on_publish")
