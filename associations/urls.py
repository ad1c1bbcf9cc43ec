from django.urls import re_path

from . import views

# Wagtail's page URLs accept no dot: "<directory path>carte.json" is routed here, then to the page.
urlpatterns = [
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)carte\.json$", views.directory_map, name="associations_directory_map"),
]
