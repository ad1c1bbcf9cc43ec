from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from biodiversitheque.core.csvio import SpreadsheetExportMixin

from . import admin_views
from .models import InventoryPage, Observation, Taxon, refresh_flags


class TaxonViewSet(SnippetViewSet):
    model = Taxon
    icon = "pick"
    menu_label = _("Taxons")
    list_display = ["scientific_name", "vernacular_name", "cd_nom", "group", "is_protected", "is_threatened",
                    "is_invasive", "is_sensitive"]
    list_filter = ["group", "is_protected", "is_threatened", "is_invasive", "is_sensitive"]
    search_fields = ["scientific_name", "vernacular_name"]
    ordering = ["scientific_name"]
    list_per_page = 50


class ObservationIndexView(SpreadsheetExportMixin, IndexView):
    """French CSV, imported names neutralised against spreadsheet formulas."""


class ObservationViewSet(SnippetViewSet):
    """Paginated listing of observations (precise coordinates included: admin only)."""

    model = Observation
    icon = "list-ul"
    menu_label = _("Observations")
    list_display = ["scientific_name", "vernacular_name", "observed_on", "count", "latitude", "longitude",
                    "inventory", "source"]
    list_filter = ["inventory", "taxon_group", "is_protected", "is_invasive", "is_sensitive", "source"]
    search_fields = ["scientific_name", "vernacular_name", "occurrence_id"]
    ordering = ["-observed_on", "-pk"]
    list_per_page = 50
    index_view_class = ObservationIndexView
    list_export = ["occurrence_id", "scientific_name", "vernacular_name", "cd_nom", "taxon_group", "observed_on",
                   "count", "latitude", "longitude", "precision", "is_protected", "is_sensitive", "source"]

    def get_queryset(self, request):
        return Observation.objects.select_related("inventory", "taxon")


class NaturalistViewSetGroup(SnippetViewSetGroup):
    items = (TaxonViewSet, ObservationViewSet)
    menu_icon = "pick"
    menu_label = _("Inventaires naturalistes")
    menu_name = "inventaires"


register_snippet(NaturalistViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def recompute_taxon_flags(request, instance):
    """Statuses edited in the taxon's form decide its protected / threatened / invasive flags."""
    if isinstance(instance, Taxon):
        refresh_flags([instance])


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("inventaires/importer/", admin_views.choose_inventory, name="ressources_import_choose"),
        path("inventaires/<int:page_id>/importer/", admin_views.import_observations_view,
             name="ressources_import_observations"),
    ]


class ImportObservationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("ressources.add_observation")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportObservationsMenuItem(
        _("Importer des observations"), reverse("ressources_import_choose"), icon_name="upload", order=310
    )


class ImportObservationsButton(PageMenuItem):
    label = _("Importer des observations")
    icon_name = "upload"
    url_name = "ressources_import_observations"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


def _inventory_buttons(page, user, next_url=None):
    if page.specific_class is InventoryPage:
        button = ImportObservationsButton(page=page, priority=25)
        if button.is_shown(user):
            yield button


@hooks.register("register_page_listing_more_buttons")
def inventory_listing_buttons(page, user, next_url=None):
    yield from _inventory_buttons(page, user)


@hooks.register("register_page_header_buttons")
def inventory_header_buttons(page, user, view_name, next_url=None):
    yield from _inventory_buttons(page, user)
