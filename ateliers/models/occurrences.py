"""Dated occurrences of an event and the registrations for each of them."""

import datetime
import secrets
import uuid

from django.apps import apps
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from biodiversitheque.core.absolute_urls import absolute_url

from ..recurrences import PARIS
from ..tokens import check_token, make_token, split_token


FEED_FIELDS = [
    "event_id", "start", "end", "status", "cancelled_reason", "uid", "sequence", "previous_start", "updated_at",
    *(f"event__{name}" for name in (
        "title", "slug", "url_path", "kind", "summary", "search_description", "place_name", "address",
        "postal_code", "city", "latitude", "longitude", "live", "depth", "path",
    )),
]


def event_pages():
    """EventPage's manager, through the foreign key: the pages module imports this one, not the reverse."""
    return Occurrence._meta.get_field("event").related_model.objects


class OccurrenceQuerySet(models.QuerySet):
    def public(self, **event_filters):
        """Occurrences of live event pages outside view restrictions.

        `event_id IN (live public event ids)`: the restriction is checked once per event (Wagtail's
        PageQuerySet.public()), not once per occurrence row through joins and LIKE on page paths.
        `event_filters` (organiser=…, training=…) narrow that list of events, which otherwise holds every event
        of the agenda and grows with it.
        """
        return self.of_events(event_pages().live().public().filter(**event_filters))

    def of_events(self, events):
        # "event_id + 0": an SQLite planner hint. Without it SQLite reads the dates event by event and sorts
        # them all; with it, it walks the `start` index and stops after one page, and counts on the
        # (end, event) index alone. PostgreSQL plans both forms alike.
        return self.alias(event_ref=F("event_id") + 0).filter(event_ref__in=events.values("pk"))

    def upcoming(self):
        return self.filter(end__gte=timezone.now()).order_by("start", "pk")

    def past(self):
        return self.filter(end__lt=timezone.now()).order_by("-start", "-pk")

    def in_dates(self, first_day, last_day_excluded):
        """Occurrences starting on local dates [first_day, last_day_excluded)."""
        start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=PARIS)
        end = datetime.datetime.combine(last_day_excluded, datetime.time.min, tzinfo=PARIS)
        return self.filter(start__gte=start, start__lt=end).order_by("start", "pk")

    def with_listing_data(self):
        """Everything a calendar card shows, in a fixed number of queries."""
        return self.select_related(
            "event", "event__organiser", "event__listing_image"
        ).prefetch_related("event__themes", "event__audiences")

    def for_feed(self, since_days=30, until_days=None):
        """Occurrences for iCalendar feeds (cancelled ones included, STATUS:CANCELLED): from `since_days` ago
        to `until_days` ahead (None = no end), nearest first, with what a VEVENT shows in the same query."""
        now = timezone.now()
        queryset = self.filter(end__gte=now - datetime.timedelta(days=since_days))
        if until_days is not None:
            queryset = queryset.filter(start__lt=now + datetime.timedelta(days=until_days))
        # Only the columns a VEVENT shows: no StreamField nor recurrence rule to decode per row.
        return (
            queryset.select_related("event")
            .only(*FEED_FIELDS)
            .order_by("start", "pk")
        )

    def first_per_day(self, count, first_day, last_day_excluded):
        """At most `count` occurrences per local day (Europe/Paris) of [first_day, last_day_excluded), each
        annotated with `day_total`, the number of occurrences that day: a month view stays the same size
        whatever the number of events."""
        # The day as a CASE over the days' UTC bounds, computed here: TruncDate with a time zone is a Python
        # function on SQLite, called for every row of the month.
        days = (last_day_excluded - first_day).days
        bounds = [datetime.datetime.combine(first_day + datetime.timedelta(days=number), datetime.time.min,
                                            tzinfo=PARIS) for number in range(1, days + 1)]
        day = Case(*(When(start__lt=bound, then=Value(number)) for number, bound in enumerate(bounds)),
                   default=Value(days), output_field=models.IntegerField())
        return self.annotate(
            rank_in_day=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()]),
            day_total=Window(Count("pk"), partition_by=[day]),
        ).filter(rank_in_day__lte=count)


class Occurrence(models.Model):
    """One dated session of an event, with its own capacity, status and registrations."""

    # Rows of the registration rush, not content: Wagtail's usage index would add 4 queries to every save.
    wagtail_reference_index_ignore = True

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [(SCHEDULED, _("Prévue")), (CANCELLED, _("Annulée"))]

    event = models.ForeignKey(
        "ateliers.EventPage", verbose_name=_("activité"), on_delete=models.CASCADE, related_name="occurrences"
    )
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    capacity_override = models.PositiveIntegerField(
        _("jauge de cette date"), null=True, blank=True,
        help_text=_("Laisser vide pour reprendre le nombre de places de l'activité."),
    )
    status = models.CharField(_("statut"), max_length=20, choices=STATUS_CHOICES, default=SCHEDULED)
    cancelled_reason = models.TextField(_("motif de l'annulation"), blank=True)
    # Kept up to date by the services, inside the transaction that locks this row.
    confirmed_places = models.PositiveIntegerField(_("places confirmées"), default=0)
    waiting_places = models.PositiveIntegerField(_("places en liste d'attente"), default=0)
    uid = models.UUIDField(_("identifiant iCalendar"), default=uuid.uuid4, unique=True, editable=False)
    # iCalendar SEQUENCE: raised each time the times change, so calendars replace the old version.
    sequence = models.PositiveIntegerField(_("version de l'horaire"), default=0, editable=False)
    # The start before the last move (schema.org previousStartDate, OpenAgenda "reprogrammé").
    previous_start = models.DateTimeField(_("début précédent"), null=True, blank=True, editable=False)
    # The event's place when this date's SEQUENCE was last set: a new place is a new version of the date.
    place_key = models.CharField(_("lieu annoncé"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="ateliers_occurrence_unique_start"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="ateliers_occurrence_end_after_start"),
        ]
        permissions = [("cancel_occurrence", _("Peut annuler une date et prévenir les inscrits"))]
        # Counting upcoming dates of public events reads this index only (see OccurrenceQuerySet.of_events).
        indexes = [models.Index(fields=["end", "event"], name="ateliers_occurrence_end_event")]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.event.title} — {local:%d/%m/%Y %H:%M}"

    @property
    def capacity(self):
        if self.capacity_override is not None:
            return self.capacity_override
        return self.event.capacity

    @property
    def seats_left(self):
        return max(self.capacity - self.confirmed_places, 0)

    @property
    def is_cancelled(self):
        return self.status == self.CANCELLED

    @property
    def is_full(self):
        return self.seats_left == 0

    @property
    def fill_rate(self):
        return round(100 * self.confirmed_places / self.capacity) if self.capacity else 100

    @property
    def ical_uid(self):
        return f"{self.uid}@biodiversitheque"

    @cached_property
    def registration_opens_at(self):
        days = self.event.registration_opens_days
        return None if days is None else self.start - datetime.timedelta(days=days)

    @cached_property
    def registration_closes_at(self):
        return self.start - datetime.timedelta(hours=self.event.registration_closes_hours)

    def registration_state(self, now=None):
        """One of: open, not_required, cancelled, past, not_open, closed."""
        now = now or timezone.now()
        if not self.event.registration_required:
            return "not_required"
        if self.is_cancelled:
            return "cancelled"
        if self.start <= now:
            return "past"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_open"
        if now >= self.registration_closes_at:
            return "closed"
        return "open"

    @property
    def is_open_for_registration(self):
        return self.registration_state() == "open"

    def get_registration_url(self, request=None):
        base = self.event.get_url(request)
        return f"{base}inscription/{self.pk}/" if base else ""

    def get_full_registration_url(self, request=None):
        return absolute_url(self.get_registration_url(request))


def new_access_key():
    return secrets.token_urlsafe(16)


class RegistrationQuerySet(models.QuerySet):
    def from_token(self, token):
        """The registration of a personal link, or raise tokens.InvalidToken('invalid' | 'expired')."""
        pk, signature = split_token(token)
        return check_token(self.select_related("occurrence__event").filter(pk=pk).first(), signature)


class Registration(models.Model):
    """A person's request for places at one occurrence (confirmed, waiting or cancelled)."""

    # Rows of the registration rush, not content: Wagtail's usage index would add 4 queries to every save.
    wagtail_reference_index_ignore = True

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    STATUS_CHOICES = [
        (CONFIRMED, _("Confirmée")),
        (WAITING, _("Liste d'attente")),
        (CANCELLED, _("Annulée")),
    ]
    ACTIVE = (CONFIRMED, WAITING)

    occurrence = models.ForeignKey(
        Occurrence, verbose_name=_("date"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"), db_index=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(_("statut"), max_length=20, choices=STATUS_CHOICES, db_index=True)
    # Times a smaller request behind this waiting group was promoted first (see services.MAX_SKIPS).
    skipped_count = models.PositiveSmallIntegerField(_("fois dépassée"), default=0, editable=False)
    attended = models.BooleanField(_("présent(e)"), null=True, blank=True)
    cancelled_by_organiser = models.BooleanField(_("retirée par l'organisateur"), default=False, editable=False)
    # Part of the signed personal link; emptied by the purge, which kills the link.
    access_key = models.CharField(max_length=40, default=new_access_key, editable=False)
    created_at = models.DateTimeField(_("inscrite le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="ateliers_registration_places_positive"),
        ]
        indexes = [models.Index(fields=["occurrence", "status", "created_at"])]

    def __str__(self):
        return f"{self.name or _('(anonymisée)')} — {self.places} × {self.occurrence}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_waiting(self):
        return self.status == self.WAITING

    def waiting_position(self):
        """Rank in the waiting list (1 = next to be confirmed), in the services' order; None if not waiting."""
        if not self.is_waiting:
            return None
        ahead = self.occurrence.registrations.filter(status=self.WAITING).filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    @property
    def token(self):
        return make_token(self)

    def get_manage_url(self, request=None, absolute=False):
        """The personal link: a route of the live agenda page (found by name: it is defined above this module)."""
        agenda = apps.get_model("ateliers", "AgendaPage").objects.live().first()
        if agenda is None:
            return ""
        base = agenda.get_url(request)
        if not base:
            return ""
        url = f"{base}{agenda.reverse_subpage('registration', args=[self.token])}"
        return absolute_url(url) if absolute else url
