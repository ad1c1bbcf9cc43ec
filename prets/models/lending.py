"""Borrowers, their reservations and loans (one row from reservation to return) and the queue."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CONDITION_CHOICES, HOLD_OFFERED, HOLD_STATUS_CHOICES, HOLD_WAITING, LOAN_ACTIVE, LOAN_OUT, LOAN_RESERVED,
    LOAN_STATUS_CHOICES,
)


def new_access_key():
    return secrets.token_urlsafe(16)


class Borrower(models.Model):
    """A resident who borrows; no admin account, a signed link opens their space."""

    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    card_number = models.CharField(_("numéro de carte"), max_length=30, unique=True, null=True, blank=True,
                                   help_text=_("Remis au guichet."))
    consent_at = models.DateTimeField(_("consentement donné le"))
    # Part of the signed personal link; changing it kills the old links.
    access_key = models.CharField(max_length=40, default=new_access_key, editable=False)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("dernière activité"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("emprunteur")
        verbose_name_plural = _("emprunteurs")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.card_number})" if self.card_number else self.name

    def overdue_loans(self, day=None):
        day = day or timezone.localdate()
        return self.loans.filter(status=LOAN_OUT, due_date__lt=day)

    def active_loans(self):
        return self.loans.filter(status__in=LOAN_ACTIVE)


class LoanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=LOAN_ACTIVE)

    def overlapping(self, start, end):
        """Active rows whose dates meet [start, end]; an overdue loan still holds its unit."""
        return self.active().filter(start_date__lte=end).filter(Q(due_date__gte=start) | Q(status=LOAN_OUT))

    def overdue(self, day=None):
        return self.filter(status=LOAN_OUT, due_date__lt=day or timezone.localdate())

    def due_on(self, day):
        return self.filter(status=LOAN_OUT, due_date=day)


class Loan(models.Model):
    """A unit for a date range: reserved, then out (checked out at the desk), then returned."""

    unit = models.ForeignKey("prets.Unit", verbose_name=_("exemplaire"), on_delete=models.CASCADE,
                             related_name="loans")
    # Denormalised from the unit for the catalogue's counts and the statistics.
    thing = models.ForeignKey("prets.ThingPage", verbose_name=_("objet"), on_delete=models.CASCADE,
                              related_name="loans")
    lending_point = models.ForeignKey("prets.LendingPoint", verbose_name=_("retrait et retour"),
                                      on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(Borrower, verbose_name=_("emprunteur"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="loans")
    status = models.CharField(_("statut"), max_length=20, choices=LOAN_STATUS_CHOICES, default=LOAN_RESERVED,
                              db_index=True)
    start_date = models.DateField(_("retrait le"))
    due_date = models.DateField(_("retour prévu le"))
    # An offer from the queue must be collected by this day, else it goes to the next person.
    collect_by = models.DateField(_("à retirer avant le"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("prolongations"), default=0)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    checked_out_at = models.DateTimeField(_("prêté le"), null=True, blank=True)
    returned_at = models.DateTimeField(_("rendu le"), null=True, blank=True)
    return_condition = models.CharField(_("état au retour"), max_length=10, choices=CONDITION_CHOICES, blank=True)
    return_notes = models.TextField(_("remarques au retour"), blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("prêt ou réservation")
        verbose_name_plural = _("prêts et réservations")
        ordering = ["-start_date", "-pk"]
        constraints = [
            # The database itself refuses a unit lent twice at the same time.
            models.UniqueConstraint(fields=["unit"], condition=Q(status=LOAN_OUT), name="prets_loan_one_out_per_unit"),
            models.CheckConstraint(condition=Q(due_date__gte=models.F("start_date")),
                                   name="prets_loan_due_after_start"),
        ]
        indexes = [models.Index(fields=["unit", "status", "start_date"])]

    def __str__(self):
        return f"{self.unit} — {self.start_date:%d/%m/%Y} → {self.due_date:%d/%m/%Y}"

    @property
    def is_overdue(self):
        return self.status == LOAN_OUT and self.due_date < timezone.localdate()

    @property
    def days_overdue(self):
        return (timezone.localdate() - self.due_date).days if self.is_overdue else 0


class Hold(models.Model):
    """A place in a thing's queue; the first one is offered the next unit that comes back."""

    thing = models.ForeignKey("prets.ThingPage", verbose_name=_("objet"), on_delete=models.CASCADE,
                              related_name="holds")
    borrower = models.ForeignKey(Borrower, verbose_name=_("emprunteur"), on_delete=models.CASCADE,
                                 related_name="holds")
    status = models.CharField(_("statut"), max_length=20, choices=HOLD_STATUS_CHOICES, default=HOLD_WAITING,
                              db_index=True)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    offered_at = models.DateTimeField(_("proposé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    loan = models.OneToOneField(Loan, verbose_name=_("réservation proposée"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="hold")

    class Meta:
        verbose_name = _("demande en file d'attente")
        verbose_name_plural = _("file d'attente")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["thing", "borrower"], condition=Q(status__in=[HOLD_WAITING, HOLD_OFFERED]),
                                    name="prets_hold_one_open_per_borrower"),
        ]

    def __str__(self):
        return f"{self.thing.title} — {self.borrower}"

    def position(self):
        if self.status != HOLD_WAITING:
            return None
        return Hold.objects.filter(thing_id=self.thing_id, status=HOLD_WAITING).filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        ).count() + 1

    @property
    def waited_days(self):
        end = self.offered_at or timezone.now()
        return (end - self.created_at).days
