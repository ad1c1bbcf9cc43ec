"""Admin: the report of searches that found nothing, under "Rapports"; the synonyms librarians manage."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from biodiversitheque.core.csvio import SpreadsheetExportMixin

from . import statistics
from .models import Synonym, UnmatchedQuery


class UnmatchedQueriesReportView(SpreadsheetExportMixin, ReportView):
    page_title = _("Recherches sans résultat")
    header_icon = "search"
    index_url_name = "sitesearch_unmatched"
    index_results_url_name = "sitesearch_unmatched_results"
    is_searchable = True
    search_fields = ["query_string"]
    default_ordering = "-hits"
    columns = [
        Column("query_string", label=_("Recherche"), sort_key="query_string"),
        NumberColumn("hits", label=_("Nombre de fois"), sort_key="hits"),
        DateColumn("first_seen", label=_("Première fois"), sort_key="first_seen"),
        DateColumn("last_seen", label=_("Dernière fois"), sort_key="last_seen"),
    ]
    list_export = ["query_string", "hits", "first_seen", "last_seen"]
    export_headings = {
        "query_string": _("Recherche"),
        "hits": _("Nombre de fois"),
        "first_seen": _("Première fois"),
        "last_seen": _("Dernière fois"),
    }

    def get_base_queryset(self):
        statistics.flush_safely()  # this process's latest searches, not yet written
        return UnmatchedQuery.objects.all()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("sitesearch.view_unmatchedquery"):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class LibrarianMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("sitesearch.view_unmatchedquery")


@hooks.register("register_admin_urls")
def register_admin_urls():
    view = UnmatchedQueriesReportView
    return [
        path("rapports/recherches-sans-resultat/", view.as_view(), name="sitesearch_unmatched"),
        path(
            "rapports/recherches-sans-resultat/resultats/",
            view.as_view(results_only=True),
            name="sitesearch_unmatched_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_unmatched_report_menu_item():
    return LibrarianMenuItem(
        _("Recherches sans résultat"),
        reverse("sitesearch_unmatched"),
        name="recherches-sans-resultat",
        icon_name="search",
        order=1310,
    )


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Synonymes de recherche")
    menu_name = "synonymes"
    add_to_admin_menu = True
    menu_order = 1320
    list_display = ["words", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["words"]
    ordering = ["words"]


register_snippet(SynonymViewSet)
