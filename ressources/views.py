"""Data served under the public pages' addresses: Darwin Core, the species CSV and map points.

Wagtail's page URLs stop at the page (and the species index's own sub-pages); ressources/urls.py routes
"<page path><export>/" here, in front of Wagtail, and the page is found the way Wagtail finds it.
"""

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe

from biodiversitheque.core.csvio import EXCHANGE, SPREADSHEET, csv_response
from biodiversitheque.core.views import public_page

from .darwincore import SPECIES_COLUMNS, darwin_core_rows
from .forms import SpeciesFilterForm
from .maps import map_places
from .models import InventoryPage, Observation, SpeciesIndexPage

MAP_CACHE_SECONDS = 300


def darwin_core_response(observations, filename, request):
    rows = darwin_core_rows(observations, request)
    return csv_response(filename, next(rows), rows, EXCHANGE)


def map_response(observations):
    response = JsonResponse({"places": map_places(observations)})
    response["Cache-Control"] = f"public, max-age={MAP_CACHE_SECONDS}"
    return response


@require_safe
def darwin_core(request, page_path):
    """Observations of an inventory, or of every published inventory under the species index."""
    page, view_kwargs = public_page(request, page_path)
    if isinstance(page, InventoryPage):
        return darwin_core_response(
            Observation.objects.filter(inventory=page).select_related("taxon"), f"{page.slug}-darwin-core.csv",
            request,
        )
    if isinstance(page, SpeciesIndexPage) and not view_kwargs:
        return darwin_core_response(Observation.objects.public(), "especes-darwin-core.csv", request)
    raise Http404


@require_safe
def species_csv(request, page_path):
    """An inventory's species table, with the filters of its page, for French spreadsheets."""
    page, _view_kwargs = public_page(request, page_path)
    if not isinstance(page, InventoryPage):
        raise Http404
    rows = page.species_table(SpeciesFilterForm(request.GET or None).cleaned_filters())
    return csv_response(
        f"{page.slug}-especes.csv", [label for label, _key in SPECIES_COLUMNS],
        ([row.get(key) for _label, key in SPECIES_COLUMNS] for row in rows), SPREADSHEET,
    )


@require_safe
def map_data(request, page_path):
    """Map points of an inventory, or of one taxon (<species index>/<cd_nom>/carte-json/)."""
    page, view_kwargs = public_page(request, page_path)
    if isinstance(page, InventoryPage):
        return map_response(Observation.objects.filter(inventory=page))
    if isinstance(page, SpeciesIndexPage) and view_kwargs.get("key"):
        return map_response(page.taxon_observations(page.get_taxon(view_kwargs["key"])))
    raise Http404
