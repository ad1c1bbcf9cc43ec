"""Calls for projects: the index and call pages, applications with their files, reviews and follow-up."""

import secrets
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from biodiversitheque.core.blocks import RICH_TEXT_FEATURES, body_blocks
from biodiversitheque.core.fields import latitude_field, longitude_field
from biodiversitheque.core.models import BasePage

from . import choices as c
from .blocks import FaqBlock, question_blocks
from .territories import parse_territories


def new_access_key():
    return secrets.token_hex(16)


class ChoiceListField(models.JSONField):
    """A list of codes from `choices`, edited as checkboxes."""

    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choice_list", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=self.verbose_name, choices=self.choice_list, required=not self.blank,
            widget=forms.CheckboxSelectMultiple, help_text=self.help_text,
        )


class CallIndexPage(BasePage):
    """The list of calls: open ones first, then upcoming, then closed."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["demarches.CallPage"]
    max_count = 1
    template = "demarches/calls/call_index_page.html"

    class Meta:
        verbose_name = _("index des appels à projets")
        verbose_name_plural = _("index des appels à projets")

    def calls(self):
        return CallPage.objects.live().public().child_of(self).order_by("-closes_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        groups = {key: [] for key in (c.STATUS_OPEN, c.STATUS_UPCOMING, c.STATUS_CLOSED, c.STATUS_RESULTS)}
        for call in self.calls():
            groups[call.status].append(call)
        context["open_calls"] = groups[c.STATUS_OPEN]
        context["upcoming_calls"] = groups[c.STATUS_UPCOMING]
        context["closed_calls"] = groups[c.STATUS_CLOSED] + groups[c.STATUS_RESULTS]
        return context


class CallPage(RoutablePageMixin, BasePage):
    """One call: what it funds, for whom, how it selects, and its questions (built here, no developer)."""

    kind = models.CharField(_("type d’appel"), max_length=30, choices=c.KIND_CHOICES, default=c.KIND_CALL)
    context = RichTextField(_("contexte et objectifs"), blank=True, features=RICH_TEXT_FEATURES)
    eligible_applicant_types = ChoiceListField(
        _("porteurs éligibles"), choice_list=c.APPLICANT_TYPE_CHOICES, blank=True,
        help_text=_("Aucun coché : tous les porteurs sont éligibles."),
    )
    eligible_territories = models.TextField(
        _("territoires éligibles"), blank=True,
        help_text=_("Une commune ou un EPCI par ligne, précédé de son code INSEE si vous le connaissez "
                    "(« 62119 Béthune »). Vide : tout territoire."),
    )
    eligible_actions = RichTextField(_("actions éligibles"), blank=True, features=RICH_TEXT_FEATURES)
    budget_envelope = models.DecimalField(_("enveloppe budgétaire (€)"), max_digits=12, decimal_places=2,
                                          null=True, blank=True)
    minimum_amount = models.DecimalField(_("montant minimum par projet (€)"), max_digits=12, decimal_places=2,
                                         null=True, blank=True)
    per_project_cap = models.DecimalField(_("plafond par projet (€)"), max_digits=12, decimal_places=2,
                                          null=True, blank=True)
    opens_at = models.DateTimeField(_("ouverture des candidatures"))
    closes_at = models.DateTimeField(_("clôture des candidatures"))
    funder_name = models.CharField(_("attribuant (nom officiel)"), max_length=200, blank=True,
                                   help_text=_("Pour les données ouvertes des subventions."))
    funder_siret = models.CharField(_("SIRET de l’attribuant"), max_length=14, blank=True)
    documents = StreamField(body_blocks(), verbose_name=_("documents et informations"), blank=True)
    questions = StreamField(question_blocks(), verbose_name=_("questions du dossier"), blank=True)
    faq = StreamField([("faq", FaqBlock())], verbose_name=_("questions et réponses"), blank=True)
    committee_group = models.OneToOneField(
        "auth.Group", verbose_name=_("groupe du comité"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="committee_call",
    )
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True, editable=False)
    dispositif_id = models.UUIDField(_("identifiant du dispositif d’aide"), null=True, blank=True, editable=False)

    content_panels = BasePage.content_panels + [
        FieldPanel("kind"),
        FieldPanel("context"),
        MultiFieldPanel(
            [FieldPanel("eligible_applicant_types"), FieldPanel("eligible_territories"),
             FieldPanel("eligible_actions")],
            heading=_("Éligibilité"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("budget_envelope"), FieldPanel("minimum_amount"),
                            FieldPanel("per_project_cap")]),
             FieldRowPanel([FieldPanel("funder_name"), FieldPanel("funder_siret")])],
            heading=_("Financement"),
        ),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Calendrier")),
        InlinePanel("criteria", label=_("Critère de sélection"), heading=_("Critères de sélection et poids")),
        FieldPanel("questions"),
        FieldPanel("documents"),
        FieldPanel("faq"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("context"), index.SearchField("eligible_actions")]
    parent_page_types = ["demarches.CallIndexPage"]
    subpage_types = []
    template = "demarches/calls/call_page.html"

    class Meta:
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("La clôture doit suivre l’ouverture.")})
        if self.minimum_amount and self.per_project_cap and self.minimum_amount > self.per_project_cap:
            raise ValidationError({"minimum_amount": _("Le minimum dépasse le plafond par projet.")})
        if self.funder_siret and not (self.funder_siret.isdigit() and len(self.funder_siret) == 14):
            raise ValidationError({"funder_siret": _("Un SIRET compte 14 chiffres.")})

    # Questions the page answers about itself.
    @property
    def status(self):
        now = timezone.now()
        if self.results_published_at:
            return c.STATUS_RESULTS
        if now < self.opens_at:
            return c.STATUS_UPCOMING
        if now < self.closes_at:
            return c.STATUS_OPEN
        return c.STATUS_CLOSED

    @property
    def status_label(self):
        return c.STATUS_LABELS[self.status]

    @property
    def is_open(self):
        return self.status == c.STATUS_OPEN

    def territories(self):
        return parse_territories(self.eligible_territories)

    def applicant_type_labels(self):
        return [str(c.APPLICANT_TYPE_LABELS.get(code, code)) for code in self.eligible_applicant_types or ()]

    def question_items(self):
        """(id, block type, value) of each question, in the editor's order."""
        return [(child.id, child.block_type, child.value) for child in self.questions]

    def laureates(self):
        """Retained applications, visible once the committee has closed the call."""
        if not self.results_published_at:
            return Application.objects.none()
        return self.applications.filter(status=c.SUBMITTED, decision=c.SELECTED).order_by("project_title")

    def granted_total(self):
        return self.applications.filter(decision=c.SELECTED).aggregate(total=Sum("amount_granted"))["total"] \
            or Decimal("0")

    def paid_total(self):
        return Instalment.objects.filter(application__call=self, status=c.INSTALMENT_PAID) \
            .aggregate(total=Sum("amount"))["total"] or Decimal("0")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["criteria"] = self.criteria.all()
        return context

    # Public subpages; the views (in views.py) stay thin and call the services.
    @path("")
    def call_view(self, request):
        return views().call_page(self, request)

    @path("dossier/<str:token>/", name="application")
    def application_view(self, request, token):
        return views().application_page(self, request, token)

    @path("dossier/<str:token>/piece/<int:file_id>/", name="application_file")
    def application_file_view(self, request, token, file_id):
        return views().application_file(self, request, token, file_id)

    @path("laureats/", name="laureates")
    def laureates_view(self, request):
        return views().laureates_page(self, request)


class CallCriterion(Orderable):
    page = ParentalKey(CallPage, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("critère"), max_length=300)
    description = models.TextField(_("précisions"), blank=True)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1, validators=[MinValueValidator(1),
                                                                                  MaxValueValidator(100)])

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("weight")]

    class Meta(Orderable.Meta):
        verbose_name = _("critère de sélection")
        verbose_name_plural = _("critères de sélection")

    def __str__(self):
        return self.title


class Application(models.Model):
    """One application to a call: drafted through signed links, submitted, reviewed, decided."""

    call = models.ForeignKey(CallPage, verbose_name=_("appel"), on_delete=models.CASCADE,
                             related_name="applications")
    number = models.CharField(_("numéro"), max_length=30, blank=True, db_index=True)
    status = models.CharField(_("état"), max_length=20, choices=c.APPLICATION_STATUS_CHOICES, default=c.DRAFT)
    email = models.EmailField(_("e-mail du porteur"))
    contact_name = models.CharField(_("personne à contacter"), max_length=200, blank=True)
    organisation_name = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    applicant_type = models.CharField(_("type de porteur"), max_length=30, choices=c.APPLICANT_TYPE_CHOICES,
                                      blank=True)
    association = models.ForeignKey(
        "associations.Association", verbose_name=_("association de l’annuaire"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="call_applications",
    )
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    territory = models.CharField(_("territoire du projet"), max_length=200, blank=True)
    project_title = models.CharField(_("titre du projet"), max_length=200, blank=True)
    project_summary = models.TextField(_("résumé du projet"), max_length=2000, blank=True)
    amount_requested = models.DecimalField(_("montant demandé (€)"), max_digits=12, decimal_places=2,
                                           null=True, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True, editable=False)
    info_request = models.TextField(_("compléments demandés"), blank=True)
    info_requested_at = models.DateTimeField(_("compléments demandés le"), null=True, blank=True)
    info_response = models.TextField(_("réponse du porteur"), blank=True)
    info_answered_at = models.DateTimeField(_("réponse reçue le"), null=True, blank=True)
    decision = models.CharField(_("décision"), max_length=30, choices=c.DECISION_CHOICES, default=c.PENDING,
                                blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    amount_granted = models.DecimalField(_("montant accordé (€)"), max_digits=12, decimal_places=2,
                                         null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("décidé par"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("dossier de candidature")
        verbose_name_plural = _("dossiers de candidature")
        ordering = ["-submitted_at", "-created_at"]
        permissions = [("decide_application", _("Peut décider des dossiers et clore un appel"))]

    def __str__(self):
        title = self.project_title or _("(sans titre)")
        return f"{self.number or _('brouillon')} — {title}"

    @property
    def applicant_display(self):
        return self.association.name if self.association_id else self.organisation_name

    @property
    def is_draft(self):
        return self.status == c.DRAFT

    @property
    def decision_published(self):
        return bool(self.call.results_published_at)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def approved_milestones(self):
        return self.milestones.filter(status=c.MILESTONE_APPROVED).order_by("date", "pk")

    def paid_total(self):
        return self.instalments.filter(status=c.INSTALMENT_PAID).aggregate(total=Sum("amount"))["total"] \
            or Decimal("0")


class ApplicantAccess(models.Model):
    """A person with a signed link to an application: its owner or an invited co-applicant."""

    OWNER = "porteur"
    CO_APPLICANT = "co_porteur"
    ROLE_CHOICES = [(OWNER, _("Porteur")), (CO_APPLICANT, _("Co-porteur"))]

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="accesses")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=ROLE_CHOICES, default=OWNER)
    access_key = models.CharField(max_length=64, default=new_access_key, editable=False, blank=True)
    expires_at = models.DateTimeField(_("lien valable jusqu’au"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("accès au dossier")
        verbose_name_plural = _("accès aux dossiers")
        constraints = [models.UniqueConstraint(fields=["application", "email"], name="calls_unique_access")]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"


def application_file_path(instance, filename):
    return f"appels/{instance.application.call_id}/{instance.application_id}/{secrets.token_hex(8)}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    question_id = models.CharField(max_length=64)
    file = models.FileField(upload_to=application_file_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.original_name


class Review(models.Model):
    """A reviewer assigned to an application; a declared conflict of interest takes them off it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("évaluateur"), on_delete=models.CASCADE,
                                 related_name="call_reviews")
    conflict_of_interest = models.BooleanField(_("conflit d’intérêts déclaré"), default=False)
    conflict_reason = models.CharField(_("nature du conflit"), max_length=300, blank=True)
    comment = models.TextField(_("avis général"), blank=True)
    assigned_at = models.DateTimeField(_("affecté le"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("évaluation enregistrée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="calls_unique_review")]

    def __str__(self):
        return f"{self.reviewer} — {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CallCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(c.SCORE_MIN),
                                                                     MaxValueValidator(c.SCORE_MAX)])
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="calls_unique_score"),
            models.CheckConstraint(condition=models.Q(value__lte=c.SCORE_MAX), name="calls_score_max"),
        ]


class InstructorNote(models.Model):
    """Instructors' private note: never shown to the applicant or the reviewers."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"), auto_now_add=True)

    class Meta:
        verbose_name = _("note d’instruction")
        verbose_name_plural = _("notes d’instruction")
        ordering = ["created_at"]


def milestone_photo_path(instance, filename):
    return f"appels/jalons/{instance.application_id}/{secrets.token_hex(8)}.jpg"


class Milestone(models.Model):
    """A dated update of a laureate's project, published after a librarian's approval."""

    application = models.ForeignKey(Application, verbose_name=_("projet"), on_delete=models.CASCADE,
                                    related_name="milestones")
    date = models.DateField(_("date"))
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"), max_length=4000)
    photo = models.FileField(_("photo"), upload_to=milestone_photo_path, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=c.MILESTONE_STATUS_CHOICES,
                              default=c.MILESTONE_PENDING)
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                    on_delete=models.SET_NULL, related_name="+")

    panels = [FieldPanel("date"), FieldPanel("title"), FieldPanel("text"), FieldPanel("status")]

    class Meta:
        verbose_name = _("jalon de projet")
        verbose_name_plural = _("jalons de projets")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.title}"


class Instalment(models.Model):
    """A payment of a granted amount (micro-grants and advances): planned, then paid."""

    application = models.ForeignKey(Application, verbose_name=_("dossier"), on_delete=models.CASCADE,
                                    related_name="instalments", limit_choices_to={"decision": c.SELECTED})
    due_date = models.DateField(_("date prévue"))
    amount = models.DecimalField(_("montant (€)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    status = models.CharField(_("état"), max_length=10, choices=c.INSTALMENT_STATUS_CHOICES,
                              default=c.INSTALMENT_PLANNED)
    paid_on = models.DateField(_("versé le"), null=True, blank=True)
    label = models.CharField(_("libellé"), max_length=200, blank=True,
                             help_text=_("Par exemple « avance de 50 % » ou « solde »."))

    panels = [FieldPanel("application"), FieldPanel("label"),
              FieldRowPanel([FieldPanel("due_date"), FieldPanel("amount")]),
              FieldRowPanel([FieldPanel("status"), FieldPanel("paid_on")])]

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["due_date"]

    def __str__(self):
        return f"{self.label or _('Versement')} — {self.amount} €"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.status == c.INSTALMENT_PAID and not self.paid_on:
            raise ValidationError({"paid_on": _("Indiquez la date du versement.")})
        if self.application_id and self.application.amount_granted is not None:
            others = self.application.instalments.exclude(pk=self.pk).aggregate(t=Sum("amount"))["t"] or 0
            if others + (self.amount or 0) > self.application.amount_granted:
                raise ValidationError({"amount": _("Les versements dépasseraient le montant accordé.")})



def views():
    """The public views the call pages' routes hand over to."""
    from . import views  # they use the services, which use these models: imported on the first request

    return views
