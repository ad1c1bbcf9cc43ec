"""Dates follow their event's publication; each association gets its events folder under the agenda."""

from django.db.models.signals import post_save
from wagtail.signals import page_published

from associations.models import Association

from . import services
from .association_folders import ensure_all_folders, ensure_events_folder
from .models import AgendaPage, EventPage


def regenerate_occurrences(sender, instance, **kwargs):
    services.sync_occurrences(instance)


def association_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ensure_events_folder(instance)


def agenda_published(sender, instance, **kwargs):
    ensure_all_folders()


def connect():
    page_published.connect(regenerate_occurrences, sender=EventPage, dispatch_uid="ateliers_sync_occurrences")
    post_save.connect(association_saved, sender=Association, dispatch_uid="ateliers_association_folder")
    page_published.connect(agenda_published, sender=AgendaPage, dispatch_uid="ateliers_agenda_folders")
