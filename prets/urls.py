from django.urls import path

from . import views

urlpatterns = [
    path("api/prets/", views.api_prets, name="prets_api"),
    path("donnees/equipements.csv", views.equipements_csv, name="opendata_equipements"),
]
