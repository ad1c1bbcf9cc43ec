"""Public species pages: an index filterable by group and status, one page per taxon, exports."""

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField

from biodiversitheque.core.blocks import RICH_TEXT_FEATURES
from biodiversitheque.core.models import BasePage
from biodiversitheque.core.pagination import paginate
from ressources.choices import GROUP_THEMES, INVASIVE_THEME, STATUS_FIELDS, TAXON_GROUP_CHOICES, TAXON_STATUS_CHOICES
from ressources.forms import SpeciesFilterForm
from ressources.maps import map_places, map_tiles

from .pages import GuidePage, InventoryPage
from .taxa import Taxon

SPECIES_PER_PAGE = 30


def themes_for_taxon(taxon):
    slugs = list(GROUP_THEMES.get(taxon.group, []))
    if taxon.is_invasive:
        slugs.insert(0, INVASIVE_THEME)
    return slugs


class SpeciesIndexPage(RoutablePageMixin, BasePage):
    """The species observed in the town: /especes/, one page per taxon at /especes/<cd_nom>/.

    Its Darwin Core export and the taxa's map data are served by ressources.views under its address."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("index des espèces")
        verbose_name_plural = _("index des espèces")

    def taxa(self):
        return Taxon.objects.publicly_observed()

    def filtered(self, filters):
        queryset = self.taxa()
        if filters.get("group"):
            queryset = queryset.filter(group=filters["group"])
        queryset = queryset.with_status(filters.get("status"))
        if filters.get("q"):
            queryset = queryset.filter(
                Q(scientific_name__icontains=filters["q"]) | Q(vernacular_name__icontains=filters["q"])
            )
        return queryset.order_by("group", "scientific_name")

    def facet_counts(self):
        """Number of observed taxa per group and per status, for the filters' labels."""
        observed = Taxon.objects.publicly_observed()
        groups = dict(observed.values_list("group").annotate(total=Count("pk")).order_by())
        statuses = observed.aggregate(
            **{key: Count("pk", filter=Q(**{field: True})) for key, field in STATUS_FIELDS.items()}
        )
        return {
            "groups": [
                {"key": key, "label": label, "count": groups[key]}
                for key, label in TAXON_GROUP_CHOICES if groups.get(key)
            ],
            "statuses": [
                {"key": key, "label": label, "count": statuses[key]} for key, label in TAXON_STATUS_CHOICES
            ],
            "total": sum(groups.values()),
        }

    def url_for_taxon(self, taxon, request=None):
        return self.get_url(request) + self.reverse_subpage("species", args=[taxon.url_key])

    @path("")
    def index(self, request):
        form = SpeciesFilterForm(request.GET or None)
        filters = form.cleaned_filters()
        page_obj = paginate(request, self.filtered(filters), SPECIES_PER_PAGE)
        # Public figures for the taxa of this page only (aggregating every taxon would read every observation).
        figures = {
            row["pk"]: row
            for row in Taxon.objects.filter(pk__in=[taxon.pk for taxon in page_obj]).observed()
            .values("pk", "observation_count", "first_year", "last_year")
        }
        base_url = self.get_url(request)
        for taxon in page_obj:
            taxon.page_url = base_url + self.reverse_subpage("species", args=[taxon.url_key])
            row = figures.get(taxon.pk, {})
            taxon.observation_count = row.get("observation_count", 0)
            taxon.first_year, taxon.last_year = row.get("first_year"), row.get("last_year")
        return self.render(request, context_overrides={
            "filter_form": form,
            "active_filters": any(filters.values()),
            "page_obj": page_obj,
            "facets": self.facet_counts(),
        })

    def get_taxon(self, key):
        if key.isdigit():
            taxon = Taxon.objects.filter(cd_nom=int(key)).first()
        else:
            taxon = Taxon.objects.filter(slug=key, cd_nom__isnull=True).first()
        if taxon is None:
            raise Http404
        return get_object_or_404(Taxon.objects.observed(), pk=taxon.pk)

    @path("<str:key>/", name="species")
    def species(self, request, key):
        taxon = self.get_taxon(key)
        observations = taxon.observations.public()
        return self.render(
            request,
            template="ressources/species_detail.html",
            context_overrides={
                "taxon": taxon,
                "inventories": self.inventories_for(taxon),
                "guides": self.guides_for(taxon),
                "events": self.events_for(taxon),
                "places": map_places(observations),
                "map_tiles": map_tiles(),
                "map_url": self.url_for_taxon(taxon, request) + "carte-json/",
            },
        )

    def inventories_for(self, taxon):
        return (
            InventoryPage.objects.live().public()
            .filter(observations__taxon=taxon)
            .annotate(taxon_observations=Count("observations"))
            .order_by("-taxon_observations", "title")
        )

    def guides_for(self, taxon):
        slugs = themes_for_taxon(taxon)
        if not slugs:
            return GuidePage.objects.none()
        return GuidePage.objects.live().public().filter(themes__slug__in=slugs).distinct().order_by("title")[:4]

    def events_for(self, taxon):
        """Upcoming events on the taxon's themes, when the agenda app provides them."""
        slugs = themes_for_taxon(taxon)
        try:
            occurrence_model = apps.get_model("ateliers", "Occurrence")
            occurrences = (
                occurrence_model.objects.public().upcoming()
                .filter(event__themes__slug__in=slugs).select_related("event").distinct()[:4]
            )
            return list(occurrences) if slugs else []
        except (LookupError, AttributeError, FieldError):
            return []
