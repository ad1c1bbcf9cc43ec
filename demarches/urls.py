from django.urls import include, path

urlpatterns = [
    path("", include("demarches.calls.urls")),
    path("", include("demarches.permits.urls")),
]
