"""Resources: citizen guides, naturalist inventories and trainings, under one index."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Min, Sum
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from biodiversitheque.core.fields import latitude_field, longitude_field
from biodiversitheque.core.blocks import RICH_TEXT_FEATURES, StepBlock, body_blocks
from biodiversitheque.core.models import Audience, BasePage, Theme
from biodiversitheque.core.pagination import paginate
from ressources.choices import (
    GUIDE_COST_CHOICES,
    GUIDE_DIFFICULTY_CHOICES,
    STATUS_FIELDS,
    TAXON_GROUP_CHOICES,
    TRAINING_FORMAT_CHOICES,
)
from ressources.forms import ResourceFilterForm, SpeciesFilterForm
from ressources.maps import map_places, map_tiles
from ressources.panels import ObservationSummaryPanel

from .observations import Observation
from .taxa import species_index

RESOURCES_PER_PAGE = 12


class ResourceQuerySet(PageQuerySet):
    def with_listing_data(self):
        """Everything a resource card shows, in a fixed number of queries."""
        return self.select_related("listing_image", "content_type").prefetch_related(
            "themes", "audiences", "listing_image__renditions"
        )


class ResourcePage(BasePage):
    """Common table of guides, inventories and trainings, so one query lists and filters them all."""

    objects = PageManager.from_queryset(ResourceQuerySet)()

    is_creatable = False
    parent_page_types = ["ressources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    @property
    def resource_type(self):
        """The key used in URLs and the import file: guide, inventaire or formation."""
        return RESOURCE_TYPE_BY_MODEL.get(self.specific_class, "")

    @property
    def resource_type_label(self):
        return self.specific_class._meta.verbose_name


class ResourceIndexPage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["ressources.GuidePage", "ressources.InventoryPage", "ressources.TrainingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des ressources")
        verbose_name_plural = _("index des ressources")

    def resources(self):
        return ResourcePage.objects.child_of(self).live().public().order_by("-first_published_at", "-pk")

    def filtered(self, filters):
        """Apply the valid filters (type, theme, audience) to the resources."""
        queryset = self.resources()
        model = RESOURCE_MODEL_BY_TYPE.get(filters.get("type") or "")
        if model:
            queryset = queryset.filter(content_type=ContentType.objects.get_for_model(model))
        lookups = {"theme": "themes__slug", "audience": "audiences__slug"}
        for key, lookup in lookups.items():
            if filters.get(key):
                queryset = queryset.filter(**{lookup: filters[key]})
        return queryset.distinct()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = ResourceFilterForm(request.GET or None)
        filters = form.cleaned_filters()
        context["filter_form"] = form
        context["active_filters"] = any(filters.values())
        context["page_obj"] = paginate(request, self.filtered(filters).with_listing_data(), RESOURCES_PER_PAGE)
        return context


class GuidePage(ResourcePage):
    """A citizen guide: how to do something for biodiversity, and what the town allows."""

    DIFFICULTY_CHOICES = GUIDE_DIFFICULTY_CHOICES
    COST_CHOICES = GUIDE_COST_CHOICES

    difficulty = models.CharField(_("difficulté"), max_length=20, choices=DIFFICULTY_CHOICES, default="facile")
    duration = models.CharField(
        _("durée"), max_length=100, blank=True, help_text=_("Par exemple : « une demi-journée », « 2 heures »")
    )
    season = models.CharField(
        _("saison"), max_length=100, blank=True, help_text=_("Par exemple : « de novembre à mars »")
    )
    cost = models.CharField(_("coût"), max_length=20, choices=COST_CHOICES, blank=True)
    materials = StreamField(
        [
            (
                "item",
                blocks.StructBlock(
                    [
                        ("name", blocks.CharBlock(label=_("Matériel"))),
                        ("quantity", blocks.CharBlock(label=_("Quantité"), required=False)),
                    ],
                    icon="list-ul",
                    label=_("Élément"),
                ),
            )
        ],
        verbose_name=_("matériel nécessaire"),
        blank=True,
    )
    body = StreamField(body_blocks(), verbose_name=_("introduction"), blank=True)
    steps = StreamField([("step", StepBlock())], verbose_name=_("étapes"), blank=True)
    town_rules = RichTextField(
        _("ce qui est permis"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Ce que les habitants peuvent faire seuls, ce qui demande une autorisation, ce qui est interdit."),
    )
    town_procedures = StreamField(
        [
            (
                "procedure",
                blocks.StructBlock(
                    [
                        ("title", blocks.CharBlock(label=_("Démarche"))),
                        ("description", blocks.RichTextBlock(label=_("Explications"), features=RICH_TEXT_FEATURES)),
                        ("contact", blocks.CharBlock(label=_("Service à contacter"), required=False)),
                        ("form_url", blocks.URLBlock(label=_("Formulaire en ligne"), required=False)),
                        ("form_document", DocumentChooserBlock(label=_("Formulaire à télécharger"), required=False)),
                    ],
                    icon="clipboard-list",
                    label=_("Démarche"),
                ),
            )
        ],
        verbose_name=_("démarches auprès de la commune"),
        blank=True,
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("difficulty"), FieldPanel("cost")]),
                FieldRowPanel([FieldPanel("duration"), FieldPanel("season")]),
            ],
            heading=_("En bref"),
        ),
        FieldPanel("materials"),
        FieldPanel("body"),
        FieldPanel("steps"),
        MultiFieldPanel(
            [FieldPanel("town_rules"), FieldPanel("town_procedures")],
            heading=_("Avec la commune"),
        ),
        InlinePanel("documents", label=_("Documents à télécharger")),
        InlinePanel("related_guide_links", label=_("Guides liés")),
    ]
    search_fields = ResourcePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("steps"),
        index.SearchField("town_rules"),
    ]
    parent_page_types = ["ressources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide citoyen")
        verbose_name_plural = _("guides citoyens")

    def download_documents(self):
        return self.documents.select_related("document")

    def related_guides(self):
        """Chosen guides first; otherwise guides sharing a theme."""
        # Cards show themes and image: read with the guides, not once per card.
        chosen = [
            link.guide
            for link in self.related_guide_links.select_related("guide__listing_image").prefetch_related(
                "guide__themes", "guide__audiences", "guide__listing_image__renditions"
            )
            if link.guide.live
        ]
        if chosen:
            return chosen
        return list(
            GuidePage.objects.live()
            .public()
            .exclude(pk=self.pk)
            .filter(themes__in=self.themes.all())
            .distinct()
            .order_by("title")
            .with_listing_data()[:3]
        )


class GuideDocument(Orderable):
    guide = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("intitulé"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self):
        return self.title or self.document.title


class RelatedGuide(Orderable):
    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="related_guide_links")
    guide = models.ForeignKey(GuidePage, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("guide")]


class InventoryPage(ResourcePage):
    """A naturalist inventory of a place over a period, with its observations, map and exports
    (exports served by ressources.views under the page's address)."""

    place = models.CharField(_("lieu inventorié"), max_length=200, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    period_start = models.DateField(_("début de l'inventaire"), null=True, blank=True)
    period_end = models.DateField(_("fin de l'inventaire"), null=True, blank=True)
    protocol = RichTextField(_("protocole"), blank=True, features=RICH_TEXT_FEATURES)
    observers = models.TextField(_("observateurs et observatrices"), blank=True)
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventories",
    )
    body = StreamField(body_blocks(), verbose_name=_("présentation"), blank=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldPanel("association"),
                FieldPanel("observers"),
            ],
            heading=_("L'inventaire"),
        ),
        FieldPanel("protocol"),
        FieldPanel("body"),
        # Read-only summary: observations are imported and listed in their own admin views.
        ObservationSummaryPanel(heading=_("Observations")),
    ]
    search_fields = ResourcePage.search_fields + [
        index.SearchField("place"),
        index.SearchField("body"),
        index.RelatedFields(
            "observations", [index.SearchField("scientific_name"), index.SearchField("vernacular_name")]
        ),
    ]
    parent_page_types = ["ressources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("inventaire naturaliste")
        verbose_name_plural = _("inventaires naturalistes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.observation_context(request))
        context["observation_total"] = sum(group["observations"] for group in context["group_chart"])
        context["species_total"] = sum(group["species"] for group in context["group_chart"])
        return context

    # Observations as the public sees them: species table, chart, map, exports (see templates/ressources/includes/).

    def species_table(self, filters=None):
        """One row per taxon of the inventory, with its statuses and public figures, filtered."""
        filters = filters or {}
        queryset = Observation.objects.filter(inventory=self, taxon__isnull=False)
        if filters.get("group"):
            queryset = queryset.filter(taxon__group=filters["group"])
        if STATUS_FIELDS.get(filters.get("status") or ""):
            queryset = queryset.filter(**{f"taxon__{STATUS_FIELDS[filters['status']]}": True})
        if filters.get("q"):
            queryset = queryset.filter(
                models.Q(taxon__scientific_name__icontains=filters["q"])
                | models.Q(taxon__vernacular_name__icontains=filters["q"])
            )
        labels = dict(TAXON_GROUP_CHOICES)
        rows = list(
            queryset.values(
                "taxon", "taxon__cd_nom", "taxon__slug", "taxon__scientific_name", "taxon__vernacular_name",
                "taxon__group", "taxon__is_protected", "taxon__is_threatened", "taxon__is_invasive",
            )
            .annotate(
                observation_count=Count("pk"), individual_count=Sum("count"),
                first_seen=Min("observed_on"), last_seen=Max("observed_on"),
            )
            .order_by("taxon__group", "taxon__scientific_name")
        )
        for row in rows:
            row["group_label"] = labels.get(row["taxon__group"], row["taxon__group"])
            row["url_key"] = str(row["taxon__cd_nom"] or row["taxon__slug"])
        return rows

    def group_chart(self):
        """Species and observations per group, with bar lengths relative to the richest group."""
        labels = dict(TAXON_GROUP_CHOICES)
        rows = list(
            Observation.objects.filter(inventory=self)
            .values("taxon_group")
            .annotate(species=Count("taxon", distinct=True), observations=Count("pk"))
            .order_by("-species", "taxon_group")
        )
        most = max((row["species"] for row in rows), default=0) or 1
        for row in rows:
            row["label"] = labels.get(row["taxon_group"], row["taxon_group"])
            row["percent"] = round(100 * row["species"] / most)
        return rows

    def observation_context(self, request):
        form = SpeciesFilterForm(request.GET or None, prefix=None)
        filters = form.cleaned_filters()
        base_url = self.get_url(request) or ""
        query = request.GET.urlencode()
        index_page = species_index()
        return {
            "species_filter_form": form,
            "species_filters_active": any(filters.values()),
            "species_rows": self.species_table(filters),
            "species_index_url": index_page.get_url(request) if index_page else "",
            "species_csv_url": base_url + "especes-csv/" + (f"?{query}" if query else ""),
            "darwin_core_url": base_url + "darwin-core/",
            "map_url": base_url + "carte-json/",
            "map_places": map_places(self.observations.all()),
            "map_tiles": map_tiles(),
            "group_chart": self.group_chart(),
        }


class TrainingPage(ResourcePage):
    """A training course: objectives, modules and prerequisites; its sessions live in the agenda."""

    FORMAT_CHOICES = TRAINING_FORMAT_CHOICES

    objectives = RichTextField(_("objectifs"), blank=True, features=RICH_TEXT_FEATURES)
    prerequisites = RichTextField(_("prérequis"), blank=True, features=RICH_TEXT_FEATURES)
    duration = models.CharField(_("durée"), max_length=100, blank=True, help_text=_("Par exemple : « 2 jours (14 h) »"))
    training_format = models.CharField(_("format"), max_length=20, choices=FORMAT_CHOICES, default="presentiel")
    modules = StreamField(
        [
            (
                "module",
                blocks.StructBlock(
                    [
                        ("title", blocks.CharBlock(label=_("Titre du module"))),
                        ("duration", blocks.CharBlock(label=_("Durée"), required=False)),
                        ("description", blocks.RichTextBlock(label=_("Contenu"), features=RICH_TEXT_FEATURES)),
                    ],
                    icon="list-ol",
                    label=_("Module"),
                ),
            )
        ],
        verbose_name=_("modules"),
        blank=True,
    )
    body = StreamField(body_blocks(), verbose_name=_("présentation"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("objectives"),
        FieldRowPanel([FieldPanel("duration"), FieldPanel("training_format")]),
        FieldPanel("prerequisites"),
        FieldPanel("modules"),
        FieldPanel("body"),
    ]
    search_fields = ResourcePage.search_fields + [
        index.SearchField("objectives"),
        index.SearchField("modules"),
        index.SearchField("body"),
    ]
    parent_page_types = ["ressources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")


RESOURCE_MODEL_BY_TYPE = {"guide": GuidePage, "inventaire": InventoryPage, "formation": TrainingPage}
RESOURCE_TYPE_BY_MODEL = {model: key for key, model in RESOURCE_MODEL_BY_TYPE.items()}
