"""Data served under the public pages' addresses: Darwin Core (CSV and archive), SINP, the species CSV and
map points; the town's archive and SINP file under /donnees/.

Wagtail's page URLs stop at the page (and the species index's own sub-pages); ressources/urls.py routes
"<page path><export>/" here, in front of Wagtail, and the page is found the way Wagtail finds it.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.csvio import EXCHANGE, SPREADSHEET, csv_response
from biodiversitheque.core.models import SiteSettings
from biodiversitheque.core.sites import site_name
from biodiversitheque.core.views import public_page

from .darwincore import SPECIES_COLUMNS, darwin_core_rows
from .dwca import ArchiveMetadata, write_archive
from .forms import SpeciesFilterForm
from .maps import map_places
from .models import InventoryPage, Observation, SpeciesIndexPage
from .opendata import TOWN_ARCHIVE_PATH, inventory_observations, site_path, town_observations
from .sinp import sinp_rows

MAP_CACHE_SECONDS = 300


def darwin_core_response(observations, filename, request):
    rows = darwin_core_rows(observations, request)
    return csv_response(filename, next(rows), rows, EXCHANGE)


def archive_response(observations, metadata, filename, request):
    site_settings = SiteSettings.for_request(request)
    archive = write_archive(observations, metadata, request, contact_email=site_settings.email)
    return FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")


def sinp_response(observations, filename):
    rows = sinp_rows(observations)
    return csv_response(filename, next(rows), rows, EXCHANGE)


def inventory_page(request, page_path):
    page, _view_kwargs = public_page(request, page_path)
    if not isinstance(page, InventoryPage):
        raise Http404
    return page


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
        return darwin_core_response(town_observations(), "especes-darwin-core.csv", request)
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


@require_safe
def darwin_core_archive(request, page_path):
    """An inventory's Darwin Core Archive: occurrence.txt, meta.xml and eml.xml."""
    page = inventory_page(request, page_path)
    url = absolute_url(site_path(page))
    metadata = ArchiveMetadata(identifier=f"{url}darwin-core.zip", title=page.title,
                               abstract=page.summary or page.search_description, url=url)
    return archive_response(inventory_observations(page), metadata, f"{page.slug}-darwin-core.zip", request)


@require_safe
def town_darwin_core_archive(request):
    """The Darwin Core Archive of every published inventory."""
    name = site_name()
    metadata = ArchiveMetadata(
        identifier=absolute_url(TOWN_ARCHIVE_PATH),
        title=_("Observations naturalistes de %(site)s") % {"site": name},
        abstract=_("Observations des inventaires naturalistes publiés par %(site)s ; les espèces protégées, "
                   "menacées ou sensibles sont floutées au centre de leur maille de 0,1°.") % {"site": name},
        url=absolute_url("/"),
    )
    return archive_response(town_observations(), metadata, "darwin-core.zip", request)


@require_safe
def sinp_csv(request, page_path):
    """An inventory's observations in the SINP columns GeoNature's import maps by itself."""
    page = inventory_page(request, page_path)
    return sinp_response(inventory_observations(page), f"{page.slug}-sinp.csv")


@require_safe
def town_sinp_csv(request):
    return sinp_response(town_observations(), "sinp.csv")
