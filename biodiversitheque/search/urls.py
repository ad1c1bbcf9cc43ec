from django.urls import path

from . import views

app_name = "sitesearch"

urlpatterns = [
    path("recherche/", views.search_page, name="search"),
    path("api/recherche/", views.search_api, name="api"),
    path("api/recherche/suggestions/", views.suggestions_api, name="suggestions"),
]
