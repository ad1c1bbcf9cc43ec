"""Taxa: one row per species (or other taxon) observed in the town, with its statuses."""

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from ressources.choices import STATUS_FIELDS, TAXON_GROUP_CHOICES, TAXON_STATUS_CHOICES
from ressources.taxonomy import PROTECTED_GROUPS, reference_statuses


def species_index():
    """The live species index. It lists taxa, so its module sits above this one: found by its label, as a
    ForeignKey names a model defined later."""
    return apps.get_model("ressources", "SpeciesIndexPage").objects.live().first()


def public_observation_filter(prefix=""):
    """Observations shown publicly: those of published inventories."""
    return Q(**{f"{prefix}inventory__live": True})


class TaxonQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def observed(self):
        """Taxa with at least one observation in a published inventory, with their public figures."""
        public = public_observation_filter("observations__")
        return self.annotate(
            observation_count=Count("observations", filter=public),
            first_year=Min(ExtractYear("observations__observed_on"), filter=public),
            last_year=Max(ExtractYear("observations__observed_on"), filter=public),
        ).filter(observation_count__gt=0)

    def publicly_observed(self):
        """Taxa with an observation in a published inventory: one index lookup per taxon, no aggregate,
        so listing and counting them does not grow with the number of observations."""
        observations = self.model._meta.get_field("observations").related_model
        public = observations.objects.filter(public_observation_filter(), taxon=OuterRef("pk"))
        return self.filter(Exists(public))

    def with_status(self, status):
        field = STATUS_FIELDS.get(status)
        return self.filter(**{field: True}) if field else self


class Taxon(index.Indexed, models.Model):
    """A taxon identified by its TAXREF cd_nom when known, otherwise by its scientific name."""

    cd_nom = models.PositiveIntegerField(
        _("identifiant TAXREF (cd_nom)"), unique=True, null=True, blank=True,
        help_text=_("Identifiant du référentiel national TAXREF (inpn.mnhn.fr)."),
    )
    cd_ref = models.PositiveIntegerField(
        _("nom retenu TAXREF (cd_ref)"), null=True, blank=True, db_index=True,
        help_text=_("cd_nom du nom retenu : les synonymes d'une espèce partagent son cd_ref et sa page."),
    )
    taxref_version = models.CharField(
        _("version de TAXREF"), max_length=10, blank=True,
        help_text=_("Version du référentiel dont viennent les noms et les statuts (par exemple « 17.0 »)."),
    )
    scientific_name = models.CharField(_("nom scientifique"), max_length=200, db_index=True)
    vernacular_name = models.CharField(_("nom vernaculaire"), max_length=200, blank=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=220, unique=True, allow_unicode=False)
    group = models.CharField(_("groupe taxonomique"), max_length=20, choices=TAXON_GROUP_CHOICES, default="autres")
    is_protected = models.BooleanField(_("espèce protégée"), default=False)
    is_threatened = models.BooleanField(
        _("espèce menacée"), default=False, help_text=_("Liste rouge : vulnérable, en danger ou en danger critique.")
    )
    is_invasive = models.BooleanField(_("espèce exotique envahissante"), default=False)
    is_sensitive = models.BooleanField(
        _("espèce sensible"), default=False,
        help_text=_("Localisation floutée sur le site public même si l'espèce n'est ni protégée ni menacée "
                    "(nids, gîtes, stations de plantes convoitées…)."),
    )

    objects = TaxonQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("scientific_name"), FieldPanel("vernacular_name")]),
        FieldRowPanel([FieldPanel("cd_nom"), FieldPanel("cd_ref"), FieldPanel("taxref_version")]),
        FieldPanel("group"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("is_protected"), FieldPanel("is_threatened"), FieldPanel("is_invasive"),
             FieldPanel("is_sensitive")],
            heading=_("Statuts"),
        ),
    ]
    search_fields = [
        index.SearchField("scientific_name", boost=2),
        index.SearchField("vernacular_name", boost=2),
        index.AutocompleteField("scientific_name"),
        index.AutocompleteField("vernacular_name"),
        index.FilterField("group"),
        index.FilterField("cd_nom"),
    ]

    class Meta:
        verbose_name = _("taxon")
        verbose_name_plural = _("taxons")
        ordering = ["scientific_name"]

    def __str__(self):
        if self.vernacular_name:
            return f"{self.vernacular_name} ({self.scientific_name})"
        return self.scientific_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(self.scientific_name)
        super().save(*args, **kwargs)

    @classmethod
    def unique_slug(cls, name):
        base = slugify(name)[:200] or "taxon"
        slug, number = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    @property
    def url_key(self):
        """The last part of the species page's URL: the cd_nom, or the slug when there is none."""
        return str(self.cd_nom) if self.cd_nom else self.slug

    @property
    def needs_blurring(self):
        """Protected, threatened or sensitive taxa never have precise public coordinates."""
        return self.is_protected or self.is_threatened or self.is_sensitive

    @property
    def taxref_url(self):
        return f"https://inpn.mnhn.fr/espece/cd_nom/{self.cd_nom}" if self.cd_nom else ""

    def statuses(self):
        """Labels of the taxon's statuses, for badges."""
        return [label for key, label in TAXON_STATUS_CHOICES if getattr(self, STATUS_FIELDS[key])]

    def get_url(self, request=None):
        index_page = species_index()
        if index_page is None:
            return ""
        return index_page.url_for_taxon(self, request)


class TaxonResolver:
    """Finds or creates taxa (imports, the admin, the demo), remembering them so an import of many rows asks the database once per taxon."""

    def __init__(self):
        self.by_cd_nom = {}
        self.by_name = {}

    def preload(self):
        for taxon in Taxon.objects.all():
            self._remember(taxon)
        return self

    def _remember(self, taxon):
        if taxon.cd_nom:
            self.by_cd_nom[taxon.cd_nom] = taxon
        self.by_name.setdefault(taxon.scientific_name.lower(), taxon)

    def find(self, scientific_name="", cd_nom=None):
        taxon = self.by_cd_nom.get(cd_nom) if cd_nom else None
        if taxon is None and scientific_name:
            taxon = self.by_name.get(scientific_name.lower())
        if taxon is None:
            queryset = Taxon.objects.all()
            if cd_nom:
                taxon = queryset.filter(cd_nom=cd_nom).first()
            if taxon is None and scientific_name:
                taxon = queryset.filter(scientific_name__iexact=scientific_name).order_by("pk").first()
            if taxon is not None:
                self._remember(taxon)
        return taxon

    def resolve(self, scientific_name, vernacular_name="", cd_nom=None, group="", is_protected=False,
                is_invasive=False, is_threatened=False):
        """The taxon for these names, created with default statuses when new; known statuses are only added."""
        taxon = self.find(scientific_name, cd_nom)
        if taxon is not None:
            changed = []
            if cd_nom and not taxon.cd_nom and cd_nom not in self.by_cd_nom:
                taxon.cd_nom = cd_nom
                changed.append("cd_nom")
            if group and group != "autres" and taxon.group == "autres":
                taxon.group = group
                changed.append("group")
            if vernacular_name and not taxon.vernacular_name:
                taxon.vernacular_name = vernacular_name[:200]
                changed.append("vernacular_name")
            for field, value in (("is_protected", is_protected), ("is_invasive", is_invasive),
                                 ("is_threatened", is_threatened)):
                if value and not getattr(taxon, field):
                    setattr(taxon, field, True)
                    changed.append(field)
            if changed:
                taxon.save(update_fields=changed)
                self._remember(taxon)
            return taxon
        reference = reference_statuses().get(scientific_name.lower(), {})
        group = group or reference.get("group") or "autres"
        taxon = Taxon.objects.create(
            cd_nom=cd_nom or None,
            scientific_name=scientific_name[:200],
            vernacular_name=(vernacular_name or reference.get("vernacular_name", ""))[:200],
            group=group,
            is_protected=is_protected or (reference["is_protected"] if reference else group in PROTECTED_GROUPS),
            is_threatened=is_threatened or reference.get("is_threatened", False),
            is_invasive=is_invasive or reference.get("is_invasive", False),
        )
        self._remember(taxon)
        return taxon
