"""Shared taxonomy, the abstract base page, the home page and plain pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import RICH_TEXT_FEATURES, body_blocks


class TaxonomyTerm(index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=100)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)


class Theme(TaxonomyTerm):
    """A biodiversity theme (mares, haies, pollinisateurs…) shared by every content type."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")


class Audience(TaxonomyTerm):
    """Who a resource or an event is for (élus, agents, habitants…)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")


class BasePage(Page):
    """What every public page shares: summary, listing image, themes and audiences."""

    summary = models.TextField(
        _("résumé"),
        blank=True,
        max_length=400,
        help_text=_("Deux ou trois phrases, affichées dans les listes et les résultats de recherche."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de vignette"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    themes = ParentalManyToManyField(Theme, verbose_name=_("thèmes"), blank=True)
    audiences = ParentalManyToManyField(Audience, verbose_name=_("publics"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Thèmes et publics"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("listing_image")]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        abstract = True

    def clean(self):
        # Page.slug accepts any letter; a typed « gîte » would give a percent-encoded address.
        if self.slug and not self.slug.isascii():
            raise ValidationError({"slug": _(
                "L’identifiant d’adresse ne peut contenir que des lettres sans accent, des chiffres et des "
                "tirets (par exemple « poser-un-gite »)."
            )})
        super().clean()

    @property
    def listing_summary(self):
        return self.summary or self.search_description


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
        from ressources.models import ResourcePage

        ids = [item.page_id for item in self.featured_pages.all()]
        pages = {p.pk: p for p in ResourcePage.objects.live().public().filter(pk__in=ids).with_listing_data()}
        return [pages[pk] for pk in ids if pk in pages]

    def latest_resources(self, count=6):
        from ressources.models import ResourcePage

        return (
            ResourcePage.objects.live()
            .public()
            .descendant_of(self)
            .order_by("-first_published_at")
            .with_listing_data()[:count]
        )

    def resource_index(self):
        """The live resources index under this home page, for the "all resources" link."""
        from ressources.models import ResourceIndexPage

        return ResourceIndexPage.objects.child_of(self).live().public().first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_resources"] = self.featured_resources()
        context["latest_resources"] = self.latest_resources()
        context["section_links"] = self.get_children().live().public().in_menu().specific()
        return context


class HomePageFeaturedPage(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_pages")
    page = models.ForeignKey(
        "ressources.ResourcePage", verbose_name=_("ressource"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page")]


class StandardPage(BasePage):
    """A plain page: privacy notice, accessibility statement, practical information."""

    body = StreamField(body_blocks(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["biodiversitheque.HomePage", "biodiversitheque.StandardPage"]
    subpage_types = ["biodiversitheque.StandardPage"]

    class Meta:
        verbose_name = _("page simple")
        verbose_name_plural = _("pages simples")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and legal pages shown in every page's footer."""

    town_name = models.CharField(_("commune ou intercommunalité"), max_length=150, blank=True)
    address = models.TextField(_("adresse du lieu"), blank=True)
    opening_hours = models.TextField(_("horaires d'ouverture"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail de contact"), blank=True)
    privacy_page = models.ForeignKey(
        Page,
        verbose_name=_("page « données personnelles »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        Page,
        verbose_name=_("page « accessibilité »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_page = models.ForeignKey(
        Page,
        verbose_name=_("page « mentions légales »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("town_name"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("phone"),
        FieldPanel("email"),
        PageChooserPanel("privacy_page"),
        PageChooserPanel("accessibility_page"),
        PageChooserPanel("legal_page"),
    ]

    class Meta:
        verbose_name = _("paramètres du site")
