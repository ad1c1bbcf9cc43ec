from django.urls import path, re_path
from django.views.i18n import JavaScriptCatalog

from . import feeds, views

urlpatterns = [
    path("api/agenda/", views.api_agenda, name="ateliers_api_agenda"),
    path("api/agenda/openagenda.json", feeds.openagenda_export, name="ateliers_openagenda_export"),
    # Wagtail's page URLs accept no dot: "<page path>/agenda.ics" is routed here, then to the page.
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)agenda\.ics$", views.ical_feed, name="ateliers_ical_feed"),
    # A date's registration form, the busiest page of a rush: found by the date, not by walking the tree.
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)inscription/(?P<occurrence_id>[0-9]+)/$", views.registration_page),
    path(
        "jsi18n/recurrence/",
        # "ateliers" last: its French (ateliers/locale) replaces some of django-recurrence's.
        JavaScriptCatalog.as_view(packages=["recurrence", "ateliers"]),
        name="ateliers_recurrence_jsi18n",
    ),
]
