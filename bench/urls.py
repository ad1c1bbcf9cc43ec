"""The portal's URLs and the bench's tiny view, served only by bench/wsgi.py."""

from django.http import HttpResponse
from django.urls import include, path


def tiny(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/petite-vue/", tiny), path("", include("biodiversitheque.portal.urls"))]
