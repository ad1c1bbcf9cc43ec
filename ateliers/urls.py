from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import views

urlpatterns = [
    path("api/agenda/", views.api_agenda, name="ateliers_api_agenda"),
    path(
        "jsi18n/recurrence/",
        JavaScriptCatalog.as_view(packages=["recurrence"]),
        name="ateliers_recurrence_jsi18n",
    ),
]
