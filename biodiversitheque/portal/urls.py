from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("biodiversitheque.search.urls")),
    path("", include("associations.urls")),
    path("", include("ateliers.urls")),
    path("", include("ressources.urls")),
    path("", include("prets.urls")),
    path("", include("demarches.urls")),
    path("donnees/catalogue.jsonld", views.catalogue, name="opendata_catalogue"),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # settings.dev sets SERVE_MEDIA, so that `make run` shows uploaded images with DEBUG off.
    from django.views.static import serve

    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve,
                            {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]
