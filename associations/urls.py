from django.urls import path, re_path

from . import views

# Wagtail's page URLs accept no dot: "<directory path>carte.json" is routed here, then to the page.
urlpatterns = [
    path("donnees/associations.csv", views.associations_csv, name="associations_csv"),
    path("donnees/associations.json", views.associations_json, name="associations_json"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)carte\.json$", views.directory_map, name="associations_directory_map"),
]
