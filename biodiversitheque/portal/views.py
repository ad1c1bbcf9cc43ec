"""The portal's own open-data view: the DCAT catalogue (its builder is dcat.py)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET
from wagtail.models import Site

from biodiversitheque.core.models import SiteSettings
from biodiversitheque.core.ratelimits import limit

from . import dcat
from .models import OpenDataPage


def _site_settings(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site)


@require_GET
@limit("agenda_api")
def catalogue(request):
    page = OpenDataPage.objects.live().public().first()
    document = dcat.catalogue(_site_settings(request), page.url if page else "")
    return JsonResponse(document, content_type="application/ld+json; charset=utf-8",
                        json_dumps_params={"ensure_ascii": False, "indent": 1})
