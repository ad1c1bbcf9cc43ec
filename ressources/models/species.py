"""Public species pages: an index filterable by group and status, one page per taxon, exports."""

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.dates import MONTHS, MONTHS_3
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

from .observations import Observation
from .pages import GuidePage, InventoryPage
from .taxa import Taxon, public_observation_filter

SPECIES_PER_PAGE = 30
RELATED_SPECIES = 6
# Phenology chart: a bar per month in a 12 × BAR_STEP wide, CHART_HEIGHT high drawing (SVG user units).
BAR_STEP, BAR_WIDTH, CHART_HEIGHT = 30, 22, 100


class SynonymRedirect(Exception):
    """The key names a synonym: its page is the accepted name's."""

    def __init__(self, accepted):
        super().__init__(accepted.pk)
        self.accepted = accepted


def names_of(taxa):
    """The primary keys of these taxa and of their synonyms (same cd_ref), as a subquery. Observations are then
    found through the index on their taxon; "taxon = pk OR taxon's cd_ref = cd_nom" across the join made
    SQLite read every observation."""
    taxa = list(taxa)
    cd_noms = [taxon.cd_nom for taxon in taxa if taxon.cd_nom]
    return Taxon.objects.filter(Q(pk__in=[taxon.pk for taxon in taxa]) | Q(cd_ref__in=cd_noms)).values("pk")


def observations_of(taxon):
    """Public observations shown on a species page: the taxon's and its synonyms' (same cd_ref)."""
    return Observation.objects.public().filter(taxon__in=names_of([taxon]))


def phenology(observations):
    """Observations per month, January first, with each bar's geometry for the inline SVG chart."""
    # Counted per day by the database, summed per month here: SQLite extracts a month by calling Python once
    # per row, and the number of distinct days grows much slower than the number of observations.
    counts = {}
    for day, total in observations.values_list("observed_on").annotate(total=Count("pk")).order_by():
        if day is not None:
            counts[day.month] = counts.get(day.month, 0) + total
    most = max(counts.values(), default=0) or 1
    months = []
    for number in range(1, 13):
        count = counts.get(number, 0)
        height = round(CHART_HEIGHT * count / most)
        months.append({
            "number": number, "name": MONTHS[number], "short": MONTHS_3[number][:1].upper(), "count": count,
            "x": (number - 1) * BAR_STEP + (BAR_STEP - BAR_WIDTH) // 2, "y": CHART_HEIGHT - height,
            "height": height, "width": BAR_WIDTH, "label_x": (number - 1) * BAR_STEP + BAR_STEP // 2,
        })
    return {"months": months, "total": sum(counts.values()), "peak": max(counts, key=counts.get) if counts else None,
            "width": 12 * BAR_STEP, "height": CHART_HEIGHT}


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
        """One entry per species page: accepted names observed (themselves or through a synonym)."""
        return Taxon.objects.species_pages()

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
        observed = self.taxa()
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

    def url_for_taxon(self, taxon, request=None, page_url=None):
        """The species page's URL; `page_url`, this page's own URL when the caller already has it (a list)."""
        return (page_url or self.get_url(request)) + self.reverse_subpage("species", args=[taxon.url_key])

    @staticmethod
    def with_figures(taxa):
        """Set observation_count, first_year and last_year on each taxon (its synonyms' observations included),
        in one query for the whole list: aggregating every taxon would read every observation."""
        taxa = list(taxa)
        by_pk = {taxon.pk: taxon for taxon in taxa}
        by_cd_nom = {taxon.cd_nom: taxon for taxon in taxa if taxon.cd_nom}
        for taxon in taxa:
            taxon.observation_count, taxon.first_year, taxon.last_year = 0, None, None
        rows = (
            Observation.objects.filter(public_observation_filter())
            .filter(taxon__in=names_of(taxa))
            .values("taxon", "taxon__cd_ref")
            # Dates, not their years: SQLite extracts a year by calling Python once per row.
            .annotate(total=Count("pk"), first=Min("observed_on"), last=Max("observed_on"))
            .order_by()
        )
        for row in rows:
            taxon = by_pk.get(row["taxon"]) or by_cd_nom.get(row["taxon__cd_ref"])
            if taxon is None:
                continue
            first, last = (row[key].year if row[key] else None for key in ("first", "last"))
            taxon.observation_count += row["total"]
            taxon.first_year = min(filter(None, (taxon.first_year, first)), default=None)
            taxon.last_year = max(filter(None, (taxon.last_year, last)), default=None)
        return taxa

    @path("")
    def index(self, request):
        form = SpeciesFilterForm(request.GET or None)
        filters = form.cleaned_filters()
        queryset = self.filtered(filters).select_related("image").prefetch_related(
            "territorial_statuses", "image__renditions"
        )
        page_obj = paginate(request, queryset, SPECIES_PER_PAGE)
        base_url = self.get_url(request)
        for taxon in self.with_figures(page_obj):
            taxon.page_url = base_url + self.reverse_subpage("species", args=[taxon.url_key])
        return self.render(request, context_overrides={
            "filter_form": form,
            "active_filters": any(filters.values()),
            "page_obj": page_obj,
            "facets": self.facet_counts(),
        })

    def get_taxon(self, key, follow_synonyms=True):
        """The taxon of a species page, with its public figures; the accepted taxon when `key` is a synonym's,
        or SynonymRedirect when follow_synonyms is False (the page then redirects)."""
        queryset = Taxon.objects.select_related("image").prefetch_related("territorial_statuses")
        if key.isdigit():
            taxon = queryset.filter(cd_nom=int(key)).first()
        else:
            taxon = queryset.filter(slug=key, cd_nom__isnull=True).first()
        if taxon is None:
            raise Http404
        if taxon.is_synonym:
            accepted = queryset.filter(cd_nom=taxon.cd_ref).first()
            if accepted is not None:
                if not follow_synonyms:
                    raise SynonymRedirect(accepted)
                taxon = accepted
        self.with_figures([taxon])
        if not taxon.observation_count:
            raise Http404
        return taxon

    def taxon_observations(self, taxon):
        return observations_of(taxon)

    @path("<str:key>/", name="species")
    def species(self, request, key):
        try:
            taxon = self.get_taxon(key, follow_synonyms=False)
        except SynonymRedirect as redirect:
            return HttpResponsePermanentRedirect(self.url_for_taxon(redirect.accepted, request))
        observations = observations_of(taxon)
        return self.render(
            request,
            template="ressources/species_detail.html",
            context_overrides={
                "taxon": taxon,
                "statuses": taxon.status_badges(),
                "phenology": phenology(observations),
                "altitudes": observations.filter(altitude__isnull=False).aggregate(
                    low=Min("altitude"), high=Max("altitude")
                ),
                "inventories": self.inventories_for(taxon),
                "guides": self.guides_for(taxon),
                "events": self.events_for(taxon),
                "related_species": self.related_species(taxon, request),
                "places": map_places(observations),
                "map_tiles": map_tiles(),
                "map_url": self.url_for_taxon(taxon, request) + "carte-json/",
            },
        )

    def inventories_for(self, taxon):
        """Published inventories that observed the taxon, most observations first. Counted from the taxon's
        observations (an index look-up each), not by joining every inventory to all its observations."""
        names = names_of([taxon])
        counted = (
            Observation.objects.filter(inventory=OuterRef("pk"), taxon__in=names)
            .order_by().values("inventory").annotate(total=Count("pk")).values("total")
        )
        return (
            InventoryPage.objects.live().public()
            .filter(pk__in=Observation.objects.filter(taxon__in=names).values("inventory"))
            .annotate(taxon_observations=Subquery(counted))
            .order_by("-taxon_observations", "title")
        )

    def related_species(self, taxon, request=None):
        """« Découvrir aussi » : other species pages of the same group, those with a photo first."""
        related = list(
            self.taxa().filter(group=taxon.group).exclude(pk=taxon.pk)
            .select_related("image").prefetch_related("image__renditions")
            .order_by(F("image").desc(nulls_last=True), "scientific_name")[:RELATED_SPECIES]
        )
        base_url = self.get_url(request)
        for other in related:
            other.page_url = base_url + self.reverse_subpage("species", args=[other.url_key])
        return related

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
            # The themes narrow the list of events (a subquery): no join to de-duplicate, so the dates are
            # read in the order of their start index and the reading stops after four.
            occurrences = (
                occurrence_model.objects.public(themes__slug__in=slugs).upcoming().select_related("event")[:4]
            )
            return list(occurrences) if slugs else []
        except (LookupError, AttributeError, FieldError):
            return []
