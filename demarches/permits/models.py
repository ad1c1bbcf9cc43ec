"""Greening permits: communes, charter, support types (snippets), the campaign page, requests and their history."""

import datetime
import re
import secrets

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from biodiversitheque.core.blocks import RICH_TEXT_FEATURES
from biodiversitheque.core.models import BasePage
from ressources.models import Taxon
from ressources.models.taxa import species_index

from . import choices


class Commune(models.Model):
    """A commune served by the biodiversithèque: its bounds place a pin, its groups instruct its requests."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    is_default = models.BooleanField(_("commune par défaut"), default=False)
    min_latitude = models.DecimalField(_("latitude sud"), max_digits=9, decimal_places=6)
    max_latitude = models.DecimalField(_("latitude nord"), max_digits=9, decimal_places=6)
    min_longitude = models.DecimalField(_("longitude ouest"), max_digits=9, decimal_places=6)
    max_longitude = models.DecimalField(_("longitude est"), max_digits=9, decimal_places=6)
    contact_email = models.EmailField(_("e-mail des services"), blank=True,
                                      help_text=_("Reçoit les rappels d'échéance des demandes de la commune."))
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    agent_groups = models.ManyToManyField(
        Group, verbose_name=_("groupes qui instruisent"), blank=True, related_name="+",
        help_text=_("Vide : tous les agents des permis instruisent les demandes de cette commune."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("insee_code")]),
        FieldPanel("is_default"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("min_latitude"), FieldPanel("max_latitude")]),
            FieldRowPanel([FieldPanel("min_longitude"), FieldPanel("max_longitude")]),
        ], heading=_("Limites (rectangle)")),
        FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
        FieldPanel("agent_groups", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["-is_default", "name"]

    def __str__(self):
        return self.name

    def contains(self, latitude, longitude):
        return (self.min_latitude <= latitude <= self.max_latitude
                and self.min_longitude <= longitude <= self.max_longitude)

    @property
    def center(self):
        return ((self.min_latitude + self.max_latitude) / 2, (self.min_longitude + self.max_longitude) / 2)

    @classmethod
    def for_point(cls, latitude, longitude):
        """The commune whose bounds hold the point (the default one first where bounds overlap), or None."""
        for commune in cls.objects.all():
            if commune.contains(latitude, longitude):
                return commune
        return None


class Charter(models.Model):
    """One version of the greening charter; a request keeps the version it accepted."""

    title = models.CharField(_("titre"), max_length=200, default=_("Charte de végétalisation"))
    version = models.CharField(_("version"), max_length=20, unique=True)
    published_on = models.DateField(_("en vigueur depuis"), default=datetime.date.today)
    clauses = models.TextField(_("articles"), help_text=_("Un article par ligne ; ils sont numérotés dans l'ordre."))

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("version"), FieldPanel("published_on")]),
              FieldPanel("clauses")]

    class Meta:
        verbose_name = _("charte de végétalisation")
        verbose_name_plural = _("chartes de végétalisation")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def clause_list(self):
        """[(number, text)] of the charter's clauses."""
        lines = [line.strip() for line in self.clauses.splitlines() if line.strip()]
        return list(enumerate(lines, start=1))

    def clause(self, number):
        return dict(self.clause_list()).get(number, "")


class SupportType(index.Indexed, models.Model):
    """Where people plant (pied d'arbre, pied de mur, jardinière…), with its rules and a guide."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=100, unique=True)
    rules = models.TextField(_("règles"), help_text=_("Ce qui est permis et ce qui ne l'est pas sur ce support."))
    guide = models.ForeignKey("wagtailcore.Page", verbose_name=_("guide lié"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]),
              FieldPanel("rules"), PageChooserPanel("guide")]
    search_fields = [index.SearchField("name"), index.SearchField("rules"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("type de support")
        verbose_name_plural = _("types de support")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class GreeningCampaignPage(RoutablePageMixin, BasePage):
    """"Permis de végétaliser": the rules, the charter, the palette, the request form and the map of permits."""

    intro = RichTextField(_("présentation"), features=RICH_TEXT_FEATURES, blank=True)
    window_mode = models.CharField(_("périodes de dépôt"), max_length=10, choices=choices.WINDOW_CHOICES,
                                   default=choices.WINDOW_ALWAYS)
    spring_opens = models.DateField(_("ouverture de printemps"), null=True, blank=True)
    spring_closes = models.DateField(_("clôture de printemps"), null=True, blank=True)
    autumn_opens = models.DateField(_("ouverture d'automne"), null=True, blank=True)
    autumn_closes = models.DateField(_("clôture d'automne"), null=True, blank=True)
    charter = models.ForeignKey(Charter, verbose_name=_("charte en vigueur"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    recommended_taxa = ParentalManyToManyField("ressources.Taxon", verbose_name=_("plantes recommandées"),
                                               blank=True, related_name="+")
    forbidden_taxa = ParentalManyToManyField("ressources.Taxon", verbose_name=_("plantes interdites"),
                                             blank=True, related_name="+")

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel([
            FieldPanel("window_mode"),
            FieldRowPanel([FieldPanel("spring_opens"), FieldPanel("spring_closes")]),
            FieldRowPanel([FieldPanel("autumn_opens"), FieldPanel("autumn_closes")]),
        ], heading=_("Périodes de dépôt")),
        FieldPanel("charter"),
        MultiFieldPanel([FieldPanel("recommended_taxa"), FieldPanel("forbidden_taxa")], heading=_("Palette végétale")),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1
    template = "demarches/permits/greening_campaign_page.html"

    class Meta:
        verbose_name = _("campagne de permis de végétaliser")

    def clean(self):
        super().clean()
        if self.window_mode == choices.WINDOW_SEASONS:
            windows = [(self.spring_opens, self.spring_closes), (self.autumn_opens, self.autumn_closes)]
            if not any(start and end for start, end in windows):
                raise ValidationError({"spring_opens": _("Indiquez au moins une période (ouverture et clôture).")})
            for start, end in windows:
                if start and end and end < start:
                    raise ValidationError({"spring_closes": _("Une période se clôt avant d'ouvrir.")})

    # Windows -----------------------------------------------------------------------------------------------
    def windows(self):
        pairs = [(self.spring_opens, self.spring_closes), (self.autumn_opens, self.autumn_closes)]
        return sorted((start, end) for start, end in pairs if start and end)

    def is_open(self, today=None):
        if self.window_mode == choices.WINDOW_ALWAYS:
            return True
        today = today or timezone.localdate()
        return any(start <= today <= end for start, end in self.windows())

    def reopens_on(self, today=None):
        """The next opening date when the form is closed (None: not announced)."""
        today = today or timezone.localdate()
        upcoming = [start for start, _end in self.windows() if start > today]
        return min(upcoming) if upcoming else None

    # Palette: an invasive taxon is forbidden whatever the editors chose.
    def palette(self):
        forbidden_ids = set(self.forbidden_taxa.values_list("pk", flat=True))
        recommended = [taxon for taxon in self.recommended_taxa.all() if not taxon.is_invasive]
        forbidden = list(Taxon.objects.filter(models.Q(pk__in=forbidden_ids) | models.Q(is_invasive=True))
                         .exclude(pk__in=[taxon.pk for taxon in recommended]))
        # Species pages' addresses from one look-up of the index (Taxon.get_url looks it up for each taxon).
        index_page = species_index()
        for taxon in recommended + forbidden:
            taxon.public_url = index_page.url_for_taxon(taxon) if index_page else ""
        return {"recommended": recommended, "forbidden": forbidden}

    def support_types(self):
        return SupportType.objects.select_related("guide")

    def granted_permits(self, commune=None):
        permits = self.requests.filter(status__in=choices.VALID_STATUSES).select_related("support_type", "commune")
        if commune is not None:
            permits = permits.filter(commune=commune)
        return permits.order_by("-decided_at")

    def _views(self):
        from . import views  # the views import the models: resolved when a route runs

        return views

    @path("")
    def index(self, request):
        return self._views().campaign(request, self)

    @path("demande/")
    def request_form(self, request):
        return self._views().request_form(request, self)

    @path("suivi/<str:token>/")
    def follow(self, request, token):
        return self._views().follow(request, self, token)

    @path("suivi/<str:token>/photo/<int:photo_id>/")
    def follow_photo(self, request, token, photo_id):
        return self._views().follow_photo(request, self, token, photo_id)


class ReferenceCounter(models.Model):
    """The last request number of a year (PV-2027-0042), taken under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


def new_access_key():
    return secrets.token_hex(16)


class PermitRequest(models.Model):
    campaign = models.ForeignKey(GreeningCampaignPage, verbose_name=_("campagne"), on_delete=models.PROTECT,
                                 related_name="requests")
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    status = models.CharField(_("statut"), max_length=20, choices=choices.STATUS_CHOICES,
                              default=choices.DEPOSITED, db_index=True)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="requests")
    district = models.CharField(_("quartier"), max_length=100, blank=True)
    support_type = models.ForeignKey(SupportType, verbose_name=_("type de support"), on_delete=models.PROTECT,
                                     related_name="requests")
    # Who asks: minimal, seen by agents only, erased by the purge.
    applicant_kind = models.CharField(_("demandeur"), max_length=20, choices=choices.APPLICANT_KIND_CHOICES)
    association = models.ForeignKey("associations.Association", verbose_name=_("association"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="permit_requests")
    organisation = models.CharField(_("structure"), max_length=150, blank=True)
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=250)
    street = models.CharField(_("rue"), max_length=250, help_text=_("L'adresse sans numéro, seule publiée."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("projet"))
    charter = models.ForeignKey(Charter, verbose_name=_("charte acceptée"), on_delete=models.PROTECT,
                                null=True, related_name="+")
    charter_version = models.CharField(_("version de la charte"), max_length=20, blank=True)
    charter_accepted_at = models.DateTimeField(_("charte acceptée le"), null=True)
    consent_at = models.DateTimeField(_("consentement le"), null=True)
    # Instruction.
    submitted_at = models.DateTimeField(_("déposée le"), default=timezone.now, db_index=True)
    complete_at = models.DateTimeField(_("complète le"), null=True, blank=True)
    deadline_on = models.DateField(_("échéance (silence vaut accord)"), null=True, blank=True, db_index=True)
    info_requested = models.TextField(_("complément demandé"), blank=True)
    info_answer = models.TextField(_("réponse du demandeur"), blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("décidée par"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    tacit = models.BooleanField(_("accord tacite"), default=False)
    refusal_clause = models.PositiveSmallIntegerField(_("article de la charte cité"), null=True, blank=True)
    decision_comment = models.TextField(_("motif de la décision"), blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    access_key = models.CharField(max_length=32, default=new_access_key, editable=False)
    submission_key = models.CharField(max_length=40, unique=True, null=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de permis de végétaliser")
        verbose_name_plural = _("demandes de permis de végétaliser")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("decide_permitrequest", _("Peut accorder ou refuser un permis de végétaliser"))]

    def __str__(self):
        return self.reference

    @property
    def applicant_label(self):
        if self.association_id:
            return self.association.name
        return self.organisation or self.name

    def days_left(self, today=None):
        if not self.deadline_on or self.status not in choices.PENDING_STATUSES:
            return None
        return (self.deadline_on - (today or timezone.localdate())).days

    days_left.short_description = _("jours restants")

    @cached_property
    def opinions_by_service(self):
        return {opinion.service: opinion for opinion in self.opinions.all()}

    def missing_opinions(self):
        return [code for code in choices.required_services() if code not in self.opinions_by_service]

    def public_point(self):
        """The place rounded to about a hundred metres: never an exact door."""
        if self.latitude is None or self.longitude is None:
            return None
        return round(float(self.latitude), 3), round(float(self.longitude), 3)

    @property
    def refusal_clause_text(self):
        return self.charter.clause(self.refusal_clause) if self.charter and self.refusal_clause else ""


def street_of(address):
    """The address without its door number ("12 bis rue du Moulin" → "rue du Moulin")."""
    without_number = re.sub(r"^\s*\d+\s*(bis|ter|quater|[a-d])?\b[\s,]*", "", address or "", flags=re.IGNORECASE)
    return without_number.split(",")[0].strip()


class RequestPhoto(models.Model):
    request = models.ForeignKey(PermitRequest, on_delete=models.CASCADE, related_name="photos")
    # A random name under a folder the public pages never link to; re-encoded, without metadata.
    file = models.FileField(_("photo"), upload_to="permis/photos/%Y/")
    content_type = models.CharField(max_length=30)
    uploaded_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        ordering = ["uploaded_at", "pk"]


class RequestEvent(models.Model):
    """One line of a request's history: who did what, from which status to which."""

    request = models.ForeignKey(PermitRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("le"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(_("par"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    public = models.BooleanField(default=True, help_text="Visible by the applicant on the personal page.")

    class Meta:
        ordering = ["at", "pk"]

    def to_status_label(self):
        return choices.STATUS_LABELS.get(self.to_status, "")


class ServiceOpinion(models.Model):
    request = models.ForeignKey(PermitRequest, on_delete=models.CASCADE, related_name="opinions")
    service = models.CharField(_("service"), max_length=40)
    favourable = models.BooleanField(_("favorable"))
    comment = models.TextField(_("commentaire"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    given_at = models.DateTimeField(_("donné le"), default=timezone.now)

    class Meta:
        verbose_name = _("avis de service")
        constraints = [models.UniqueConstraint(fields=["request", "service"], name="one_opinion_per_service")]

    @property
    def service_label(self):
        return choices.service_labels().get(self.service, self.service)
