"""Taxa: one row per species (or other taxon) observed in the town, with its statuses."""

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from modelsearch.backends import get_search_backends
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from biodiversitheque.core.blocks import RICH_TEXT_FEATURES
from ressources.choices import (
    NATIONAL_TERRITORY,
    RANK_LABELS,
    STATUS_FIELDS,
    STATUS_KIND_CHOICES,
    STATUS_KIND_INVASIVE,
    STATUS_KIND_PROTECTION,
    STATUS_KIND_RED_LIST,
    STATUS_SOURCE_CHOICES,
    TAXON_GROUP_CHOICES,
    TAXON_STATUS_CHOICES,
    TERRITORY_LEVELS,
    THREATENED_CODES,
)
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

    def accepted(self):
        """Taxa that have their own species page: not a synonym of another taxon of the database."""
        accepted_in_database = Taxon.objects.filter(cd_nom=OuterRef("cd_ref")).exclude(pk=OuterRef("pk"))
        return self.exclude(Q(cd_ref__isnull=False) & ~Q(cd_ref=F("cd_nom")) & Exists(accepted_in_database))

    def species_pages(self):
        """Accepted taxa with a public observation of their own or of one of their synonyms."""
        observations = self.model._meta.get_field("observations").related_model
        public = observations.objects.filter(public_observation_filter())
        # Two EXISTS rather than one on "taxon = pk OR taxon's cd_ref = cd_nom": each is an index look-up,
        # where the OR made SQLite scan the observations for every taxon (a page of species grew with them).
        own = public.filter(taxon=OuterRef("pk"))
        synonyms = public.filter(taxon__cd_ref=OuterRef("cd_nom"))
        return self.accepted().filter(Exists(own) | Exists(synonyms))


class Taxon(index.Indexed, ClusterableModel):
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
    author = models.CharField(_("auteur du nom"), max_length=200, blank=True, help_text=_("LB_AUTEUR de TAXREF."))
    vernacular_name = models.CharField(_("nom vernaculaire"), max_length=200, blank=True)
    rank = models.CharField(_("rang"), max_length=10, blank=True, help_text=_("Code du rang dans TAXREF : ES (espèce), SSES…"))
    kingdom = models.CharField(_("règne"), max_length=40, blank=True)
    family = models.CharField(_("famille"), max_length=100, blank=True)
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
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    image_credit = models.CharField(_("crédit de la photo"), max_length=200, blank=True)
    image_licence = models.CharField(
        _("licence de la photo"), max_length=100, blank=True, help_text=_("Par exemple « CC BY-SA 4.0 »."),
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)

    objects = TaxonQuerySet.as_manager()

    # The three flags are computed from the statuses (ressources.models.taxa.refresh_flags): not edited here.
    panels = [
        FieldRowPanel([FieldPanel("scientific_name"), FieldPanel("author"), FieldPanel("vernacular_name")]),
        FieldRowPanel([FieldPanel("cd_nom"), FieldPanel("cd_ref"), FieldPanel("taxref_version")]),
        FieldRowPanel([FieldPanel("group"), FieldPanel("rank"), FieldPanel("kingdom"), FieldPanel("family")]),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldRowPanel([FieldPanel("image_credit"), FieldPanel("image_licence")]),
             FieldPanel("description")],
            heading=_("Fiche espèce"),
        ),
        FieldPanel("is_sensitive"),
        InlinePanel("territorial_statuses", heading=_("Statuts par territoire"), label=_("statut")),
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
        return free_slug(name, lambda slug: cls.objects.filter(slug=slug).exists())

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

    @property
    def is_synonym(self):
        """A name TAXREF no longer retains: its accepted name is cd_ref."""
        return bool(self.cd_nom and self.cd_ref and self.cd_ref != self.cd_nom)

    @property
    def rank_label(self):
        return RANK_LABELS.get(self.rank, self.rank)

    def statuses(self):
        """Labels of the taxon's statuses (the flags), for badges and search summaries."""
        return [label for key, label in TAXON_STATUS_CHOICES if getattr(self, STATUS_FIELDS[key])]

    def status_badges(self):
        """Territorial statuses in reading order (protections, red lists, invasive, others; nation first).
        Sorted in Python so a prefetched `territorial_statuses` costs no query."""
        return sorted(self.territorial_statuses.all(), key=TaxonStatus.sort_key)

    def get_url(self, request=None):
        index_page = species_index()
        if index_page is None:
            return ""
        return index_page.url_for_taxon(self, request)


class TaxonStatus(models.Model):
    """One status of a taxon in one territory: protection, red list category, invasive species regulation…"""

    taxon = ParentalKey(Taxon, verbose_name=_("taxon"), on_delete=models.CASCADE, related_name="territorial_statuses")
    kind = models.CharField(_("nature"), max_length=20, choices=STATUS_KIND_CHOICES)
    type_code = models.CharField(
        _("type de statut"), max_length=20, blank=True, help_text=_("CD_TYPE_STATUT de la BDC : PN, PR, LRN, LRR…")
    )
    type_label = models.CharField(_("libellé du type"), max_length=200, blank=True)
    territory = models.CharField(_("territoire"), max_length=100, default=NATIONAL_TERRITORY[0])
    territory_code = models.CharField(
        _("code du territoire"), max_length=20, blank=True, default=NATIONAL_TERRITORY[1],
        help_text=_("CD_SIG de la BDC : TERFXFR (France métropolitaine), INSEER24 (une région), INSEED37…"),
    )
    territory_level = models.PositiveSmallIntegerField(_("niveau du territoire"), choices=TERRITORY_LEVELS, default=0)
    code = models.CharField(_("code du statut"), max_length=20, blank=True, help_text=_("VU, EN, CR, NT, LC, NO3…"))
    label = models.CharField(_("libellé du statut"), max_length=200, blank=True)
    document = models.TextField(_("texte de référence"), blank=True)
    document_url = models.URLField(_("adresse du texte"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=STATUS_SOURCE_CHOICES, default="saisie")

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("code"), FieldPanel("label")]),
        FieldRowPanel([FieldPanel("territory"), FieldPanel("territory_code"), FieldPanel("territory_level")]),
        FieldRowPanel([FieldPanel("document"), FieldPanel("document_url")]),
    ]

    KIND_ORDER = {key: position for position, (key, _label) in enumerate(STATUS_KIND_CHOICES)}

    class Meta:
        verbose_name = _("statut d'un taxon")
        verbose_name_plural = _("statuts des taxons")
        indexes = [models.Index(fields=["taxon", "kind"], name="taxon_status_kind")]

    def __str__(self):
        return str(self.badge_label)

    @staticmethod
    def sort_key(status):
        return (TaxonStatus.KIND_ORDER.get(status.kind, 9), status.territory_level, status.territory, status.code)

    @property
    def is_threatened(self):
        return self.kind == STATUS_KIND_RED_LIST and self.code.upper() in THREATENED_CODES

    @property
    def badge_label(self):
        """What the badge says, in words (never colour alone): « Liste rouge Centre-Val de Loire : vulnérable (VU) »."""
        detail = self.label[:1].lower() + self.label[1:] if self.label else ""
        if detail and self.code and self.code.lower() != self.label.lower():
            detail = f"{detail} ({self.code})"
        if self.kind == STATUS_KIND_RED_LIST:
            head = _("Liste rouge %(territory)s") % {"territory": self.territory}
        elif self.kind == STATUS_KIND_PROTECTION:
            head = _("Espèce protégée — %(territory)s") % {"territory": self.territory}
        elif self.kind == STATUS_KIND_INVASIVE:
            head = _("Espèce exotique envahissante — %(territory)s") % {"territory": self.territory}
        else:
            head = f"{self.type_label or _('Réglementation')} — {self.territory}"
        return f"{head} : {detail}" if detail else head

    @property
    def css_modifier(self):
        if self.kind == STATUS_KIND_INVASIVE:
            return "invasive"
        if self.is_threatened:
            return "warning"
        return "protected" if self.kind == STATUS_KIND_PROTECTION else "info"


# Statuses entered with the former yes/no flags (admin, imports, reference file): national, source "saisie".
FLAG_STATUSES = {
    "is_protected": {"kind": STATUS_KIND_PROTECTION, "type_code": "PN", "code": "PN", "label": "Protection nationale"},
    "is_threatened": {"kind": STATUS_KIND_RED_LIST, "type_code": "LRN", "code": "MENACE",
                      "label": "Menacée (vulnérable, en danger ou en danger critique)"},
    "is_invasive": {"kind": STATUS_KIND_INVASIVE, "type_code": "REGLII", "code": "EEE",
                    "label": "Exotique envahissante"},
}


def statuses_from_flags(taxon, flags):
    """Unsaved national statuses for the flags named (is_protected, is_threatened, is_invasive)."""
    return [
        TaxonStatus(taxon=taxon, territory=NATIONAL_TERRITORY[0], territory_code=NATIONAL_TERRITORY[1],
                    source="saisie", **FLAG_STATUSES[flag])
        for flag in flags if flag in FLAG_STATUSES
    ]


def refresh_flags(taxa=None):
    """Recompute is_protected, is_threatened and is_invasive from the statuses, in one UPDATE.

    The flags stay on Taxon so that filters, blurring and exports read one row; the statuses decide."""
    queryset = Taxon.objects.all() if taxa is None else Taxon.objects.filter(pk__in=[getattr(t, "pk", t) for t in taxa])

    def has(kind, **extra):
        return Exists(TaxonStatus.objects.filter(taxon=OuterRef("pk"), kind=kind, **extra))

    return queryset.update(
        is_protected=has(STATUS_KIND_PROTECTION),
        is_threatened=has(STATUS_KIND_RED_LIST, code__in=THREATENED_CODES),
        is_invasive=has(STATUS_KIND_INVASIVE),
    )



class TaxonResolver:
    """Finds or creates taxa (imports, the admin, the demo), remembering them so an import of many rows asks the database once per taxon.

    With defer_creation, new taxa stay in memory (unsaved, in `pending`) until save_pending() inserts them in
    bulk: an import creates hundreds of species with a few queries instead of a save, its signals and a
    search reindex each."""

    def __init__(self, defer_creation=False):
        self.by_cd_nom = {}
        self.by_name = {}
        self.defer_creation = defer_creation
        self.pending = []
        self.complete = False  # True once every taxon is in memory: a name not found there is new

    def preload(self):
        for taxon in Taxon.objects.all():
            self._remember(taxon)
        self.complete = True
        return self

    def _remember(self, taxon):
        if taxon.cd_nom:
            self.by_cd_nom[taxon.cd_nom] = taxon
        self.by_name.setdefault(taxon.scientific_name.lower(), taxon)

    def find(self, scientific_name="", cd_nom=None):
        taxon = self.by_cd_nom.get(cd_nom) if cd_nom else None
        if taxon is None and scientific_name:
            taxon = self.by_name.get(scientific_name.lower())
        if taxon is None and not self.complete:
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
            added_flags = []
            for field, value in (("is_protected", is_protected), ("is_invasive", is_invasive),
                                 ("is_threatened", is_threatened)):
                if value and not getattr(taxon, field):
                    setattr(taxon, field, True)
                    changed.append(field)
                    added_flags.append(field)
            if changed:
                # A pending taxon is saved later with its final values and statuses.
                if taxon.pk is not None:
                    taxon.save(update_fields=changed)
                    TaxonStatus.objects.bulk_create(statuses_from_flags(taxon, added_flags))
                self._remember(taxon)
            return taxon
        reference = reference_statuses().get(scientific_name.lower(), {})
        group = group or reference.get("group") or "autres"
        taxon = Taxon(
            cd_nom=cd_nom or None,
            scientific_name=scientific_name[:200],
            vernacular_name=(vernacular_name or reference.get("vernacular_name", ""))[:200],
            group=group,
            is_protected=is_protected or (reference["is_protected"] if reference else group in PROTECTED_GROUPS),
            is_threatened=is_threatened or reference.get("is_threatened", False),
            is_invasive=is_invasive or reference.get("is_invasive", False),
        )
        if self.defer_creation:
            self.pending.append(taxon)
        else:
            taxon.save()
            # The flags come with the statuses that justify them (the statuses are the source of truth).
            TaxonStatus.objects.bulk_create(statuses_from_flags(taxon, _flags_of(taxon)))
        self._remember(taxon)
        return taxon

    def save_pending(self):
        """Insert the taxa created since the last call, with their statuses, in bulk; returns them.

        bulk_create sends no signal: the caller reindexes the site search; Wagtail's admin search is
        given them here in one batch."""
        taxa, self.pending = self.pending, []
        if not taxa:
            return []
        taken = set(Taxon.objects.values_list("slug", flat=True))
        for taxon in taxa:
            taxon.slug = free_slug(taxon.scientific_name, taken.__contains__)
            taken.add(taxon.slug)
        Taxon.objects.bulk_create(taxa)
        if any(taxon.pk is None for taxon in taxa):  # a backend that does not return ids: read them back
            ids = dict(Taxon.objects.filter(slug__in=[taxon.slug for taxon in taxa]).values_list("slug", "pk"))
            for taxon in taxa:
                taxon.pk = ids[taxon.slug]
        TaxonStatus.objects.bulk_create(
            [status for taxon in taxa for status in statuses_from_flags(taxon, _flags_of(taxon))]
        )
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Taxon, taxa)
        return taxa


def _flags_of(taxon):
    return [flag for flag in FLAG_STATUSES if getattr(taxon, flag)]


def free_slug(name, is_taken):
    """The name's slug, numbered (-2, -3…) until `is_taken` says it is free: a query per attempt for one taxon,
    a set of the slugs in use for many."""
    base = slugify(name)[:200] or "taxon"
    slug, number = base, 2
    while is_taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug
