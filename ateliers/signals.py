from wagtail.signals import page_published


def regenerate_occurrences(sender, instance, **kwargs):
    from .services import sync_occurrences

    sync_occurrences(instance)


def connect():
    from .models import EventPage

    page_published.connect(regenerate_occurrences, sender=EventPage, dispatch_uid="ateliers_sync_occurrences")
