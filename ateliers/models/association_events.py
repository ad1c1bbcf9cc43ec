"""An association's folder under the agenda: where its members add events, under moderation."""

from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


def association_for_path(path):
    """Id of the association whose events folder is `path` or one of its ancestors, else None."""
    steplen = Page.steplen
    ancestors = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    return (
        AssociationEventsPage.objects.filter(path__in=ancestors, association__isnull=False)
        .values_list("association_id", flat=True)
        .first()
    )


class AssociationEventsPage(Page):
    """The folder of an association's events under the agenda: its members' page permissions and the
    moderation workflow are attached here. Created with the association (`association_folders`); it has
    no public page of its own (its URL leads to the association's page in the directory)."""

    association = models.OneToOneField(
        "associations.Association", verbose_name=_("association"), null=True, on_delete=models.SET_NULL,
        related_name="events_page",
    )

    content_panels = [FieldPanel("title")]
    promote_panels = []
    settings_panels = []
    parent_page_types = ["ateliers.AgendaPage"]
    subpage_types = ["ateliers.EventPage"]
    is_creatable = False  # one per association, made by the association's creation

    class Meta:
        verbose_name = _("activités d'une association")
        verbose_name_plural = _("activités des associations")

    def serve(self, request, *args, **kwargs):
        url = self.association.get_url(request) if self.association_id else ""
        if not url:
            raise Http404
        return redirect(url)

    def get_sitemap_urls(self, request=None):
        return []
