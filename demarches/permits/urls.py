from django.urls import path

from . import views

urlpatterns = [
    path("api/permis/", views.api_permits, name="permits_api"),
    path("api/permis.csv", views.api_permits_csv, name="permits_api_csv"),
]
