"""Local associations (snippets) and the public directory page that lists them."""

from django import forms
from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from biodiversitheque.core.fields import latitude_field, longitude_field
from biodiversitheque.core.blocks import RICH_TEXT_FEATURES
from biodiversitheque.core.models import BasePage, Theme
from biodiversitheque.core.pagination import paginate

from .forms import AssociationFilterForm

ASSOCIATIONS_PER_PAGE = 24


def map_tiles():
    return settings.LEAFLET_CONFIG.get("TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")


class AssociationQuerySet(models.QuerySet):
    def cities(self):
        """The communes of these associations, sorted, for the directory's filter."""
        return self.exclude(city="").order_by("city").values_list("city", flat=True).distinct()


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
    latitude = latitude_field()
    longitude = longitude_field()
    # The Wagtail group of its members (page permissions on its events subtree); kept by services.
    members_group = models.OneToOneField(
        "auth.Group", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="association"
    )
    # Where its members' uploads go (images they add land here, not in the shared root); kept by services.
    collection = models.OneToOneField(
        "wagtailcore.Collection", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="association",
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
    objects = AssociationQuerySet.as_manager()

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
    parent_page_types = ["portal.HomePage"]
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
        # A subquery rather than DISTINCT: the theme join can repeat a row, and DISTINCT over every column
        # (description included) costs more than the page itself once the directory grows.
        return queryset.model.objects.filter(pk__in=queryset.values("pk")) if filters.get("theme") else queryset

    def filter_form(self, data):
        return AssociationFilterForm(data or None, cities=Association.objects.cities())

    def map_points(self, filters):
        """Every located association matching the filters, as compact rows for the map (not only the page
        of the list): [name, slug, latitude, longitude]."""
        rows = self.filtered(filters).exclude(latitude=None).exclude(longitude=None).order_by("name", "pk")
        return [
            [name, slug, float(latitude), float(longitude)]
            for name, slug, latitude, longitude in rows.values_list("name", "slug", "latitude", "longitude")
        ]

    @path("")
    def directory(self, request):
        form = self.filter_form(request.GET)
        filters = form.cleaned_filters()
        associations = self.filtered(filters).select_related("logo").prefetch_related("themes").order_by("name", "pk")
        request._association_directory_url = self.get_url(request)
        return self.render(
            request,
            context_overrides={
                "filter_form": form,
                "active_filters": any(filters.values()),
                "page_obj": paginate(request, associations, ASSOCIATIONS_PER_PAGE),
                "map_tiles": map_tiles(),
            },
        )

    @path("<slug:slug>/")
    def association_detail(self, request, slug):
        association = get_object_or_404(
            Association.objects.select_related("logo").prefetch_related("themes", "inventories"), slug=slug
        )
        return self.render(
            request,
            context_overrides={
                "association": association,
                "inventories": association.inventories.live().public(),
                "map_places": [association] if association.has_coordinates else [],
                "map_tiles": map_tiles(),
            },
            template="associations/association_detail.html",
        )


class Membership(models.Model):
    """A person (Wagtail user) who acts for an association in the admin."""

    EDITOR = "editor"
    ROLE_CHOICES = [(EDITOR, _("Membre (annonce les activités, tient la fiche à jour)"))]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships"
    )
    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=ROLE_CHOICES, default=EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invitée par"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'une association")
        verbose_name_plural = _("membres des associations")
        ordering = ["association__name", "user__last_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "association"], name="unique_membership_per_association")
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.association})"
