"""Data served outside the pages: the directory's open-data downloads (records built in opendata.py) and its
map's points, as JSON.

Wagtail's page URLs accept no dot; associations/urls.py routes "<directory path>carte.json" here, in front of
Wagtail, and the page is found the way Wagtail finds it.
"""

from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_safe

from biodiversitheque.core.ratelimits import limit
from biodiversitheque.core.views import public_page

from . import opendata
from .models import AssociationIndexPage

MAP_CACHE_SECONDS = 300


@require_GET
@limit("agenda_api")
def associations_csv(request):
    return opendata.csv_export(request)


@require_GET
@limit("agenda_api")
def associations_json(request):
    return JsonResponse(opendata.json_export(request), json_dumps_params={"ensure_ascii": False})


@require_safe
def directory_map(request, page_path):
    """Every located association matching the directory's filters (?theme=, ?city=), whatever the page of the
    list: {"places": [{"name", "url", "lat", "lon"}, …]}."""
    page, view_kwargs = public_page(request, page_path)
    if not isinstance(page, AssociationIndexPage) or view_kwargs:  # an association's own page has no such map
        raise Http404
    filters = page.filter_form(request.GET).cleaned_filters()
    base = page.get_url(request)
    places = [
        {"name": name, "url": f"{base}{slug}/", "lat": latitude, "lon": longitude}
        for name, slug, latitude, longitude in page.map_points(filters)
    ]
    response = JsonResponse({"places": places})
    patch_cache_control(response, public=True, max_age=MAP_CACHE_SECONDS)
    return response
