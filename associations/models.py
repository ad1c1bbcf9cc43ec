"""Local associations (snippets) and the public directory page that lists them."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from biodiversitheque.blocks import RICH_TEXT_FEATURES
from biodiversitheque.models import BasePage, Theme
from biodiversitheque.pagination import paginate

ASSOCIATIONS_PER_PAGE = 20


class Association(index.Indexed, ClusterableModel):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant dans l'adresse"), max_length=200, unique=True)
    summary = models.TextField(_("présentation courte"), max_length=400, blank=True)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    themes = ParentalManyToManyField(Theme, verbose_name=_("thèmes"), blank=True, related_name="associations")
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site internet"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")], heading=_("Contacts")
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Adresse"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("city"),
    ]

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_url(self, request=None):
        """Public page of the association inside the directory, or '' if there is no directory."""
        base = AssociationIndexPage.directory_url(request)
        return f"{base}{self.slug}/" if base else ""

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class AssociationIndexPage(RoutablePageMixin, BasePage):
    """The public directory: a filtered list, and one sub-page per association."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["biodiversitheque.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des associations")
        verbose_name_plural = _("annuaires des associations")

    @classmethod
    def directory_url(cls, request=None):
        """URL of the live directory, looked up once per request."""
        cached = getattr(request, "_association_directory_url", None)
        if cached is not None:
            return cached
        page = cls.objects.live().public().first()
        url = page.get_url(request) if page else ""
        if request is not None:
            request._association_directory_url = url
        return url

    def associations(self):
        return Association.objects.all()

    def filtered(self, filters):
        queryset = self.associations()
        lookups = {"theme": "themes__slug", "city": "city__iexact"}
        for key, lookup in lookups.items():
            if filters.get(key):
                queryset = queryset.filter(**{lookup: filters[key]})
        return queryset.distinct()

    @path("")
    def directory(self, request):
        from .forms import AssociationFilterForm

        form = AssociationFilterForm(request.GET or None)
        filters = form.cleaned_filters()
        associations = self.filtered(filters).select_related("logo").prefetch_related("themes")
        request._association_directory_url = self.get_url(request)
        return self.render(
            request,
            context_overrides={
                "filter_form": form,
                "active_filters": any(filters.values()),
                "page_obj": paginate(request, associations, ASSOCIATIONS_PER_PAGE),
            },
        )

    @path("<slug:slug>/")
    def association_detail(self, request, slug):
        association = get_object_or_404(
            Association.objects.select_related("logo").prefetch_related("themes", "inventories"), slug=slug
        )
        return self.render(
            request,
            context_overrides={"association": association, "inventories": association.inventories.live().public()},
            template="associations/association_detail.html",
        )
