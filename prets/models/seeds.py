"""The grainothèque: seed varieties tied to the town's taxa, a give-and-take log, germination tests."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from ateliers.models import Occurrence
from biodiversitheque.core.blocks import RICH_TEXT_FEATURES
from biodiversitheque.core.models import BasePage
from biodiversitheque.core.pagination import paginate
from ressources.models import SpeciesIndexPage

from ..choices import MONTH_CHOICES, SEED_GIVE, SEED_MOVEMENT_CHOICES, SEED_TAKE
from .catalogue import views

VARIETIES_PER_PAGE = 24


class SeedLibraryPage(BasePage):
    """The grainothèque's index; its seed swaps (agenda events) are shown on every variety page."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        InlinePanel("swap_events", label=_("Trocs de graines (événements de l'agenda)")),
    ]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["prets.SeedVarietyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("grainothèque")
        verbose_name_plural = _("grainothèques")

    def varieties(self):
        return SeedVarietyPage.objects.child_of(self).live().public().select_related("taxon").order_by("title")

    def swap_occurrences(self, limit=5):
        events = [link.event_id for link in self.swap_events.all()]
        return list(Occurrence.objects.filter(event_id__in=events).public().upcoming()
                    .select_related("event").order_by("start")[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["varieties"] = paginate(request, self.varieties(), VARIETIES_PER_PAGE)
        context["swaps"] = self.swap_occurrences()
        return context


class SeedSwapEvent(Orderable):
    library = ParentalKey(SeedLibraryPage, on_delete=models.CASCADE, related_name="swap_events")
    event = models.ForeignKey("ateliers.EventPage", verbose_name=_("événement"), on_delete=models.CASCADE,
                              related_name="+")

    panels = [PageChooserPanel("event", "ateliers.EventPage")]


class SeedVarietyForm(WagtailAdminPageForm):
    sowing_months = forms.TypedMultipleChoiceField(
        label=_("mois de semis"), choices=MONTH_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    harvest_months = forms.TypedMultipleChoiceField(
        label=_("mois de récolte des graines"), choices=MONTH_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SeedVarietyPage(RoutablePageMixin, BasePage):
    taxon = models.ForeignKey("ressources.Taxon", verbose_name=_("espèce"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    variety = models.CharField(_("variété"), max_length=150, blank=True)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    sowing_months = models.JSONField(_("mois de semis"), default=list, blank=True)
    harvest_months = models.JSONField(_("mois de récolte des graines"), default=list, blank=True)
    origin = models.CharField(_("origine"), max_length=200, blank=True,
                              help_text=_("Par exemple : récoltée à Villeneuve, don de l'association…"))
    lending_point = models.ForeignKey("prets.LendingPoint", verbose_name=_("point de troc"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    # Kept in step with the log under the row's lock (see services.record_seed_movement).
    packets_in_stock = models.PositiveIntegerField(_("sachets disponibles"), default=0, editable=False)

    base_form_class = SeedVarietyForm
    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("taxon"), FieldPanel("variety")]),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("sowing_months"), FieldPanel("harvest_months")], heading=_("Calendrier")),
        FieldRowPanel([FieldPanel("origin"), FieldPanel("lending_point")]),
        InlinePanel("germination_tests", label=_("Tests de germination")),
    ]
    parent_page_types = ["prets.SeedLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("variété de graines")
        verbose_name_plural = _("variétés de graines")

    def calendar(self):
        """Twelve months with their flags, for the sowing/harvest calendar."""
        sowing, harvest = set(self.sowing_months or []), set(self.harvest_months or [])
        return [{"number": number, "label": label, "sowing": number in sowing, "harvest": number in harvest}
                for number, label in MONTH_CHOICES]

    def species_url(self, request=None):
        index = SpeciesIndexPage.objects.live().first()
        if not self.taxon or index is None:
            return ""
        return index.url_for_taxon(self.taxon, request)

    def last_germination(self):
        return self.germination_tests.order_by("-tested_on").first()

    def recount_stock(self):
        totals = dict(self.movements.values_list("kind").annotate(total=Sum("packets")))
        return max(totals.get(SEED_GIVE, 0) - totals.get(SEED_TAKE, 0), 0)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        library = SeedLibraryPage.objects.filter(pk=self.get_parent().pk).first()
        context["swaps"] = library.swap_occurrences() if library else []
        context["species_url"] = self.species_url(request)
        context.setdefault("movement_form", None)
        return context

    @path("")
    def detail(self, request):
        return views().seed_movement(request, self)


class GerminationTest(Orderable):
    variety = ParentalKey(SeedVarietyPage, on_delete=models.CASCADE, related_name="germination_tests")
    tested_on = models.DateField(_("date du test"), default=timezone.localdate)
    seeds_sown = models.PositiveSmallIntegerField(_("graines semées"))
    seeds_germinated = models.PositiveSmallIntegerField(_("graines germées"))

    panels = [FieldRowPanel([FieldPanel("tested_on"), FieldPanel("seeds_sown"), FieldPanel("seeds_germinated")])]

    class Meta(Orderable.Meta):
        verbose_name = _("test de germination")

    def clean(self):
        if self.seeds_sown is not None and self.seeds_germinated is not None and self.seeds_germinated > self.seeds_sown:
            raise ValidationError({"seeds_germinated": _("Il ne peut pas germer plus de graines que de semées.")})

    @property
    def rate(self):
        return round(100 * self.seeds_germinated / self.seeds_sown) if self.seeds_sown else 0


class SeedMovement(models.Model):
    """A line of the give-and-take log: no account, no personal data."""

    variety = models.ForeignKey(SeedVarietyPage, verbose_name=_("variété"), on_delete=models.CASCADE,
                                related_name="movements")
    kind = models.CharField(_("mouvement"), max_length=10, choices=SEED_MOVEMENT_CHOICES)
    packets = models.PositiveSmallIntegerField(_("sachets"))
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("Par exemple l'origine d'un don (sans nom de personne)."))
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mouvement de graines")
        verbose_name_plural = _("carnet de la grainothèque")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(packets__gte=1), name="prets_seed_packets_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.packets} × {self.variety.title}"
