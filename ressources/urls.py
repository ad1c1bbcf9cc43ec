from django.urls import path, re_path

from . import views

# "<page path><export>/": Wagtail would look for a child page of that name; these come first (see views).
urlpatterns = [
    path("donnees/darwin-core.zip", views.town_darwin_core_archive, name="ressources_town_darwin_core_archive"),
    path("donnees/sinp.csv", views.town_sinp_csv, name="ressources_town_sinp"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)darwin-core\.zip$", views.darwin_core_archive,
            name="ressources_darwin_core_archive"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)sinp\.csv$", views.sinp_csv, name="ressources_sinp"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)darwin-core/$", views.darwin_core, name="ressources_darwin_core"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)especes-csv/$", views.species_csv, name="ressources_species_csv"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)carte-json/$", views.map_data, name="ressources_map_data"),
]
