"""Signals that keep the index fresh: publication, unpublication, deletion, move, privacy, related rows."""

from django.core.signals import request_finished
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from biodiversitheque.core.models import Audience, Theme

from . import caches, registry, services, statistics
from .models import Synonym
from .synonyms import clear_cache


def on_page_changed(sender, instance, **kwargs):
    if registry.provider_for(instance):
        services.reindex(instance)


def on_page_deleted(sender, instance, **kwargs):
    services.remove_object(instance)


def on_page_moved(sender, instance, **kwargs):
    services.reindex_subtree(instance)


def on_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        services.reindex_subtree(page)


def on_object_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        # After the commit: a ClusterableModel saves its many-to-many fields (themes) after post_save.
        services.schedule_reindex(instance)


def on_object_deleted(sender, instance, **kwargs):
    services.remove_object(instance)


def related_handler(get_targets):
    def handler(sender, instance, raw=False, **kwargs):
        if raw:
            return
        for target in get_targets(instance) or ():
            if target is not None:
                services.schedule_reindex(target)

    return handler


_handlers = []  # strong references: signals keep weak ones


def connect():
    request_finished.connect(statistics.flush_if_due, dispatch_uid="sitesearch_statistics_flush")
    for model in (SearchPromotion, Theme, Audience, Page, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(caches.invalidate, sender=model, dispatch_uid=f"sitesearch_cache_{signal is post_save}_{model.__name__}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(caches.invalidate, dispatch_uid=f"sitesearch_cache_{name}")
    post_save.connect(clear_cache, sender=Synonym, dispatch_uid="sitesearch_synonym_saved")
    post_delete.connect(clear_cache, sender=Synonym, dispatch_uid="sitesearch_synonym_deleted")
    page_published.connect(on_page_changed, dispatch_uid="sitesearch_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="sitesearch_unpublished")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="sitesearch_page_deleted")
    post_page_move.connect(on_page_moved, dispatch_uid="sitesearch_page_moved")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="sitesearch_restriction_saved")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="sitesearch_restriction_deleted")
    for model, provider in registry.providers().items():
        if not registry.is_page_model(model):
            post_save.connect(on_object_saved, sender=model, dispatch_uid=f"sitesearch_saved_{model._meta.label}")
            post_delete.connect(on_object_deleted, sender=model, dispatch_uid=f"sitesearch_deleted_{model._meta.label}")
        for label, get_targets in provider.related.items():
            handler = related_handler(get_targets)
            _handlers.append(handler)
            for signal in (post_save, post_delete):
                signal.connect(handler, sender=label, dispatch_uid=f"sitesearch_{signal is post_save}_{label}_{model._meta.label}")
