from django.urls import re_path

from . import views

# "<page path><export>/": Wagtail would look for a child page of that name; these come first (see views).
urlpatterns = [
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)darwin-core/$", views.darwin_core, name="ressources_darwin_core"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)especes-csv/$", views.species_csv, name="ressources_species_csv"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)carte-json/$", views.map_data, name="ressources_map_data"),
]
