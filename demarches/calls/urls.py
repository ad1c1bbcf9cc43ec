from django.urls import path

from . import views

urlpatterns = [
    path("api/appels/", views.api_calls, name="calls_api"),
    path("api/appels/<int:pk>/dispositif-aide.json", views.api_call_dispositif, name="calls_api_dispositif"),
    path("api/appels/<int:pk>/subventions.csv", views.api_call_subventions, name="calls_api_subventions"),
]
