"""The catalogue (outilthèque): an index page, one page per thing, and the thing's physical units."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet

from biodiversitheque.core.blocks import RICH_TEXT_FEATURES
from biodiversitheque.core.models import BasePage
from biodiversitheque.core.pagination import paginate

from ..choices import (
    CATEGORY_CHOICES, CONDITION_CHOICES, HOLD_WAITING, LOAN_ACTIVE, LOAN_OUT, UNIT_AVAILABLE, UNIT_STATUS_CHOICES,
)

from ..forms import CatalogueFilterForm
from ..queries import filter_things
from .lending import Hold, Loan

THINGS_PER_PAGE = 12


def views():
    """The public views the pages' routes hand over to."""
    from .. import views  # they use these page models: imported on the first request, not at load

    return views


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().values("thing").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


class ThingQuerySet(PageQuerySet):
    def with_availability(self, day=None):
        """Annotate units in circulation, units busy today, next return date and people waiting (4 subqueries,
        whatever the number of things)."""
        day = day or timezone.localdate()
        units = Unit.objects.filter(thing=OuterRef("pk"), status=UNIT_AVAILABLE)
        busy = Loan.objects.filter(
            thing=OuterRef("pk"), status__in=LOAN_ACTIVE, start_date__lte=day, unit__status=UNIT_AVAILABLE,
        ).filter(Q(due_date__gte=day) | Q(status=LOAN_OUT))
        next_return = Loan.objects.filter(thing=OuterRef("pk"), status=LOAN_OUT).order_by().values("thing").annotate(
            first=Min("due_date")).values("first")[:1]
        return self.annotate(
            units_total=_count(units),
            units_busy=_count(busy),
            next_return=Subquery(next_return),
            waiting_count=_count(Hold.objects.filter(thing=OuterRef("pk"), status=HOLD_WAITING)),
        )


ThingManager = PageManager.from_queryset(ThingQuerySet)


class LendingCatalogPage(RoutablePageMixin, BasePage):
    """The outilthèque: every lendable thing with filters; the borrower's sign-up and personal space."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    rules = RichTextField(_("règlement du prêt"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("rules")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["prets.ThingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("catalogue de prêt (outilthèque)")
        verbose_name_plural = _("catalogues de prêt")

    def things(self):
        return ThingPage.objects.child_of(self).live().public().with_availability().select_related("photo")

    def filtered(self, filters):
        return filter_things(self.things(), filters)

    @path("")
    def index(self, request):
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        things = paginate(request, self.filtered(filters), THINGS_PER_PAGE)
        return self.render(request, context_overrides={
            "filter_form": form, "page_obj": things, "active_filters": any(filters.values()),
        })

    @path("inscription/")
    def signup(self, request):
        return views().signup(request, self)

    @path("mon-lien/")
    def resend(self, request):
        return views().resend_link(request, self)

    @re_path(r"^espace/(?P<token>[0-9a-f\-]+)/$")
    def space(self, request, token):
        return views().borrower_space(request, self, token)


class ThingPage(RoutablePageMixin, BasePage):
    """A lendable thing (a model of tool, a kit, a book); its units are the physical copies."""

    category = models.CharField(_("catégorie"), max_length=20, choices=CATEGORY_CHOICES, db_index=True)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(_("description de la photo"), max_length=200, blank=True,
                                 help_text=_("Pour les personnes qui ne voient pas l'image."))
    loan_days = models.PositiveSmallIntegerField(_("durée du prêt (jours)"), default=14,
                                                 validators=[MinValueValidator(1)])
    deposit = models.DecimalField(_("caution (€)"), max_digits=7, decimal_places=2, default=0)
    safety_notes = models.TextField(_("consignes de sécurité"), blank=True)
    required_training = models.ForeignKey(
        "ateliers.EventPage", verbose_name=_("atelier requis"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empruntable seulement après une présence constatée à une date de cet atelier."),
    )

    objects = ThingManager()

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("category"), FieldPanel("loan_days"), FieldPanel("deposit")]),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("photo"), FieldPanel("photo_alt")], heading=_("Photo")),
        MultiFieldPanel([FieldPanel("safety_notes"), PageChooserPanel("required_training", "ateliers.EventPage")],
                        heading=_("Sécurité")),
        InlinePanel("guides", label=_("Guides qui l'utilisent")),
    ]
    parent_page_types = ["prets.LendingCatalogPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("objet à emprunter")
        verbose_name_plural = _("objets à emprunter")

    @property
    def catalogue(self):
        return LendingCatalogPage.objects.filter(pk=self.get_parent().pk).first()

    def units_in_circulation(self):
        return self.units.filter(status=UNIT_AVAILABLE).select_related("lending_point")

    def availability(self, day=None):
        """{units, free, next_return, waiting} computed for this page (the catalogue annotates instead)."""
        if not hasattr(self, "units_total"):
            annotated = ThingPage.objects.filter(pk=self.pk).with_availability(day).first()
            for name in ("units_total", "units_busy", "next_return", "waiting_count"):
                setattr(self, name, getattr(annotated, name))
        return {"units": self.units_total, "free": max(self.units_total - self.units_busy, 0),
                "next_return": self.next_return, "waiting": self.waiting_count}

    def linked_guides(self):
        return [link.guide for link in self.guides.select_related("guide") if link.guide and link.guide.live]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["availability"] = self.availability()
        context["units"] = self.units_in_circulation()
        return context

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("reserver/")
    def reserve(self, request):
        return views().reserve(request, self)


class ThingGuide(Orderable):
    thing = ParentalKey(ThingPage, on_delete=models.CASCADE, related_name="guides")
    guide = models.ForeignKey("ressources.GuidePage", verbose_name=_("guide"), on_delete=models.CASCADE,
                              related_name="+")

    panels = [PageChooserPanel("guide", "ressources.GuidePage")]


class Unit(models.Model):
    """One physical copy of a thing, kept at one lending point."""

    thing = models.ForeignKey(ThingPage, verbose_name=_("objet"), on_delete=models.CASCADE, related_name="units")
    lending_point = models.ForeignKey("prets.LendingPoint", verbose_name=_("point de prêt"),
                                      on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("numéro d'inventaire"), max_length=40, unique=True)
    condition = models.CharField(_("état"), max_length=10, choices=CONDITION_CHOICES, default="bon")
    status = models.CharField(_("statut"), max_length=20, choices=UNIT_STATUS_CHOICES, default=UNIT_AVAILABLE,
                              db_index=True)
    notes = models.TextField(_("notes internes"), blank=True)

    panels = [
        PageChooserPanel("thing", "prets.ThingPage"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("lending_point")]),
        FieldRowPanel([FieldPanel("condition"), FieldPanel("status")]),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = _("exemplaire")
        verbose_name_plural = _("exemplaires")
        ordering = ["thing__title", "code"]

    def __str__(self):
        return f"{self.thing.title} — {self.code}"
