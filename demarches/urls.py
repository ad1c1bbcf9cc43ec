from django.urls import include, path

urlpatterns = [
    path("", include("demarches.calls.urls")),
]
