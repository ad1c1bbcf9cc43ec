from django.urls import path

from . import views

urlpatterns = [
    path("donnees/associations.csv", views.associations_csv, name="associations_csv"),
    path("donnees/associations.json", views.associations_json, name="associations_json"),
]
