"""The home page: the portal's top, which shows what the apps below it publish."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Site

from biodiversitheque.core.blocks import RICH_TEXT_FEATURES, body_blocks
from biodiversitheque.core.models import BasePage, SiteSettings
from biodiversitheque.core import shell as page_shell
from biodiversitheque.core.opendata import datasets
from ressources.models import ResourceIndexPage, ResourcePage

# The page types an editor may put forward on the home page (the chooser offers only these and their kinds).
FEATURABLE_PAGE_TYPES = ["ressources.ResourcePage"]


class HomePage(BasePage):
    intro = RichTextField(_("présentation"), blank=True, features=RICH_TEXT_FEATURES)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image d'en-tête"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(body_blocks(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        InlinePanel("featured_pages", label=_("Ressources à la une"), max_num=6),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def featured_resources(self):
        ids = [item.page_id for item in self.featured_pages.all()]
        pages = {p.pk: p for p in ResourcePage.objects.live().public().filter(pk__in=ids).with_listing_data()}
        return [pages[pk] for pk in ids if pk in pages]

    def latest_resources(self, count=6):
        return (
            ResourcePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-first_published_at")
            .with_listing_data()[:count]
        )

    def resource_index(self):
        """The live resources index under this home page, for the "all resources" link."""
        return ResourceIndexPage.objects.child_of(self).live().public().first()

    def section_links(self, request):
        """The sections under this page: the cached site menu when this page is the site's root."""
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id == self.pk:
            return page_shell.for_request(request)["menu"]
        return page_shell.menu_links(self, site)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_resources"] = self.featured_resources()
        context["latest_resources"] = self.latest_resources()
        context["section_links"] = self.section_links(request)
        return context


class HomePageFeaturedPage(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_pages")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("ressource"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page", FEATURABLE_PAGE_TYPES)]


class OpenDataPage(BasePage):
    """« Données ouvertes »: every dataset the apps declare, for people, with a link to the DCAT catalogue."""

    intro = RichTextField(_("présentation"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("page « données ouvertes »")
        verbose_name_plural = _("pages « données ouvertes »")

    def datasets(self):
        """The datasets that have something to download, by title."""
        return sorted((dataset for dataset in datasets() if dataset.distributions), key=lambda item: str(item.title))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        site = self.get_site()
        site_settings = SiteSettings.for_site(site) if site else None
        context["datasets"] = self.datasets()
        context["licence_url"] = site_settings.open_data_licence if site_settings else ""
        context["licence_label"] = site_settings.licence_label if site_settings else ""
        context["catalogue_url"] = reverse("opendata_catalogue")
        return context
