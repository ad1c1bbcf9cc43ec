"""Shared taxonomy, the abstract base page, plain pages and the site settings."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import body_blocks
from .fields import latitude_field, longitude_field
from .opendata import LICENCE_OUVERTE_2, LICENCES


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


class StandardPage(BasePage):
    """A plain page: privacy notice, accessibility statement, practical information."""

    body = StreamField(body_blocks(), verbose_name=_("contenu"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage", "biodiversitheque.StandardPage"]
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
    open_data_page = models.ForeignKey(
        Page,
        verbose_name=_("page « données ouvertes »"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the place is, in the national facilities file (SCDL « Équipements ») and on maps.
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True,
                                   validators=[RegexValidator(r"^\d{5}$", _("Un code postal compte 5 chiffres."))])
    city = models.CharField(_("commune du lieu"), max_length=100, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    # Who publishes the open data (DCAT publisher, SCDL COLL_NOM / COLL_SIRET) and under which licence.
    publisher_name = models.CharField(
        _("producteur des données"), max_length=140, blank=True,
        help_text=_("Nom officiel de la collectivité, par exemple « Commune de Bellerive ». "
                    "À défaut, la commune ci-dessus."),
    )
    siret = models.CharField(
        _("SIRET de la collectivité"), max_length=14, blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("Un SIRET compte 14 chiffres, sans espace."))],
    )
    insee_code = models.CharField(
        _("code INSEE de la commune"), max_length=5, blank=True,
        validators=[RegexValidator(r"^[0-9][0-9AB][0-9]{3}$", _("Un code INSEE compte 5 caractères (2A ou 2B "
                                                                "pour la Corse)."))],
        help_text=_("Code officiel géographique (5 caractères), différent du code postal."),
    )
    facility_code = models.CharField(
        _("code de l’équipement dans la nomenclature"), max_length=8, blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("Le code de la nomenclature compte 8 chiffres."))],
        help_text=_("Code à 8 chiffres de la nomenclature des équipements collectifs publics (CRIGE PACA), "
                    "repris dans le fichier des équipements."),
    )
    facility_type = models.CharField(
        _("type d’équipement"), max_length=140, blank=True,
        help_text=_("Terme de la nomenclature associé au code, par exemple « Bibliothèque »."),
    )
    open_data_licence = models.URLField(_("licence des données ouvertes"), choices=LICENCES,
                                        default=LICENCE_OUVERTE_2)

    panels = [
        FieldPanel("town_name"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("phone"),
        FieldPanel("email"),
        PageChooserPanel("privacy_page"),
        PageChooserPanel("accessibility_page"),
        PageChooserPanel("legal_page"),
        MultiFieldPanel(
            [
                FieldPanel("postal_code"),
                FieldPanel("city"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Localisation du lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("publisher_name"),
                FieldPanel("siret"),
                FieldPanel("insee_code"),
                FieldPanel("facility_code"),
                FieldPanel("facility_type"),
                FieldPanel("open_data_licence"),
                PageChooserPanel("open_data_page"),
            ],
            heading=_("Données ouvertes"),
        ),
    ]

    class Meta:
        verbose_name = _("paramètres du site")

    @property
    def publisher(self):
        """The name the open data is published under."""
        return self.publisher_name or self.town_name

    @property
    def licence_label(self):
        return dict(LICENCES).get(self.open_data_licence, self.open_data_licence)
