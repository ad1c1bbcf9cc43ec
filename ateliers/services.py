"""Registration rules. Each function is one transaction that locks the occurrence row it counts.

Waiting-list rule (documented in the README): first come, first served. When places free up, the
waiting list is walked in order and every request that fits is confirmed. A group that does not fit
stays at the head and lets smaller requests behind it pass, but at most MAX_SKIPS times: after that,
nobody passes it any more (neither the waiting list nor new registrations) until enough places free
up for the whole group.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import mail
from .models.emails import OutgoingEmail
from .models.occurrences import Occurrence, Registration, event_pages
from .recurrences import PARIS, planned_starts

MAX_SKIPS = 3


class RegistrationError(Exception):
    """A rule refused the request; `code` is machine-readable, `message` is shown to people."""

    def __init__(self, code, message, registration=None, outcome=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.registration = registration
        self.outcome = outcome  # "duplicate": the status a new request would have had


def _locked_occurrence(occurrence_id, event=None):
    """The occurrence row locked until the transaction ends, with its event.

    Given `event` (read before the transaction), only the occurrence row is read under the lock: every
    registration of a date waits for that lock, so each statement held under it counts in a rush."""
    queryset = Occurrence.objects.select_for_update(of=("self",))
    try:
        if event is None:
            return queryset.select_related("event").get(pk=occurrence_id)
        occurrence = queryset.get(pk=occurrence_id, event_id=event.pk)
    except Occurrence.DoesNotExist:
        raise RegistrationError("unknown_occurrence", _("Cette date n'existe pas ou plus.")) from None
    occurrence.event = event
    return occurrence


def _event_of(occurrence_id):
    # The page row is never locked: reading its rules just before the transaction sees what reading them
    # inside would (READ COMMITTED), and keeps the wide page query out of the locked part.
    occurrence = Occurrence.objects.select_related("event").filter(pk=occurrence_id).first()
    if occurrence is None:
        raise RegistrationError("unknown_occurrence", _("Cette date n'existe pas ou plus."))
    return occurrence.event


def _refresh_counts(occurrence):
    """Recount places from the rows (never trust increments) and store them on the locked occurrence.

    One UPDATE whose subqueries do the counting, RETURNING what it stored: the same recount as reading the
    rows and saving, in one round trip instead of two while the date is locked (PostgreSQL and SQLite)."""
    occurrences, registrations = Occurrence._meta.db_table, Registration._meta.db_table
    count = (
        f"(SELECT COALESCE(SUM(places), 0) FROM {registrations} "  # noqa: S608 - table names, no user input
        "WHERE occurrence_id = %s AND status = %s)"
    )
    sql = (
        f"UPDATE {occurrences} SET confirmed_places = {count}, waiting_places = {count}, "  # noqa: S608
        "updated_at = %s WHERE id = %s RETURNING confirmed_places, waiting_places"
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [
            occurrence.pk, Registration.CONFIRMED, occurrence.pk, Registration.WAITING,
            connection.ops.adapt_datetimefield_value(now), occurrence.pk,
        ])
        occurrence.confirmed_places, occurrence.waiting_places = cursor.fetchone()
    occurrence.updated_at = now


def _check_window(occurrence, now):
    state = occurrence.registration_state(now)
    messages = {
        "not_required": _("Cette activité est en accès libre, sans inscription."),
        "cancelled": _("Cette date a été annulée : les inscriptions sont fermées."),
        "past": _("Cette date est passée : il n'est plus possible de s'inscrire."),
        "closed": _("Les inscriptions pour cette date sont closes."),
    }
    if state == "not_open":
        opens = timezone.localtime(occurrence.registration_opens_at)
        raise RegistrationError(
            "not_open",
            _("Les inscriptions ouvriront le %(date)s à %(time)s.")
            % {"date": opens.strftime("%d/%m/%Y"), "time": opens.strftime("%H:%M")},
        )
    if state != "open":
        raise RegistrationError(state, messages[state])


def _validate_request(event, name, email, places):
    if not (name or "").strip():
        raise RegistrationError("invalid_name", _("Indiquez votre nom."))
    try:
        validate_email(email)
    except ValidationError:
        raise RegistrationError("invalid_email", _("Cette adresse e-mail n'est pas valide.")) from None
    if not isinstance(places, int) or places < 1:
        raise RegistrationError("invalid_places", _("Le nombre de places doit être au moins 1."))
    if places > event.max_places_per_registration:
        raise RegistrationError(
            "too_many_places",
            ngettext(
                "Une inscription est limitée à %(max)d place.",
                "Une inscription est limitée à %(max)d places.",
                event.max_places_per_registration,
            )
            % {"max": event.max_places_per_registration},
        )


def _waiting(occurrence):
    return list(
        occurrence.registrations.filter(status=Registration.WAITING).order_by("created_at", "pk")
    )


def _confirm(registration, now):
    registration.status = Registration.CONFIRMED
    registration.confirmed_at = now
    registration.save(update_fields=["status", "confirmed_at", "updated_at"])


def register(
    occurrence_id, *, name, email, places, phone="", wants_waiting_list=False, by_organiser=False, event=None
):
    """Confirm or put on the waiting list; raise RegistrationError otherwise.

    `by_organiser` (manual add from the admin) skips the registration window, not the capacity. `event`: the
    date's event when the caller has already read its rules (the public form, from its cache), else read here.
    """
    now = timezone.now()
    email = (email or "").strip()
    if event is None:
        event = _event_of(occurrence_id)
    with transaction.atomic():
        occurrence = _locked_occurrence(occurrence_id, event)
        if by_organiser:
            if occurrence.is_cancelled:
                raise RegistrationError("cancelled", _("Cette date a été annulée."))
        else:
            _check_window(occurrence, now)
        _validate_request(event, name, email, places)
        seats_left = occurrence.seats_left
        # Only the waiting requests that matter, and only when they do: a group with priority (it blocks
        # everyone) and those a confirmation now would pass over. Read while the date is locked, so not read
        # at all when nothing can be confirmed (a full date) or nobody waits.
        waiting = []
        if occurrence.waiting_places and seats_left:
            waiting = list(
                occurrence.registrations.filter(status=Registration.WAITING)
                .filter(Q(skipped_count__gte=MAX_SKIPS) | Q(places__gt=seats_left))
                .values_list("pk", "places", "skipped_count")
            )
        blocked = any(skipped >= MAX_SKIPS for _pk, _places, skipped in waiting)
        registration = Registration(
            occurrence=occurrence, name=name.strip(), email=email, phone=(phone or "").strip(), places=places,
            created_at=now,
        )
        if places <= seats_left and not blocked:
            registration.status = Registration.CONFIRMED
            registration.confirmed_at = now
        elif event.waiting_list_enabled and (wants_waiting_list or by_organiser):
            registration.status = Registration.WAITING
        else:
            if seats_left and not blocked:
                message = ngettext(
                    "Il ne reste qu'%(count)d place pour cette date.",
                    "Il ne reste que %(count)d places pour cette date.",
                    seats_left,
                ) % {"count": seats_left}
            else:
                message = _("Cette date est complète.")
            if event.waiting_list_enabled:
                message += " " + _("Vous pouvez vous inscrire sur la liste d'attente.")
            raise RegistrationError("full", message)
        # Checked once the outcome is known, so that request_registration can answer like a new request.
        # Under the lock: two requests from one address at the same second must not both pass.
        existing = occurrence.registrations.filter(status__in=Registration.ACTIVE, email__iexact=email).first()
        if existing:
            raise RegistrationError(
                "duplicate", _("Cette adresse e-mail est déjà inscrite à cette date."),
                registration=existing, outcome=registration.status,
            )
        if registration.status == Registration.CONFIRMED:
            passed = [pk for pk, waited, _skipped in waiting if waited > seats_left]
            if passed:
                _count_skips(passed)
        registration.save()
        _refresh_counts(occurrence)
        mail.queue_email(
            "confirmation" if registration.status == Registration.CONFIRMED else "waiting", registration
        )
        return registration


def request_registration(occurrence_id, **data):
    """The public form: register() for a new address; an address already registered at this date gets its
    personal link again by e-mail. Returns the status a new request gets (confirmed or waiting) in both
    cases, so the answer never tells whether someone is registered."""
    try:
        return register(occurrence_id, **data).status
    except RegistrationError as error:
        if error.code != "duplicate":
            raise
        resend_link(error.registration)
        return error.outcome


def _count_skips(pks):

    Registration.objects.filter(pk__in=pks).update(skipped_count=F("skipped_count") + 1)


def promote_waiting(occurrence):
    """Confirm waiting requests that fit, in order (see the module docstring). Call inside a transaction
    that holds the occurrence lock; returns the promoted registrations."""
    if occurrence.is_cancelled or occurrence.start <= timezone.now():
        return []
    now = timezone.now()
    seats_left = occurrence.seats_left
    promoted, passed_over = [], []
    for item in _waiting(occurrence):
        if seats_left <= 0:
            break
        if item.places <= seats_left:
            _confirm(item, now)
            seats_left -= item.places
            promoted.append(item)
            if passed_over:
                _count_skips(passed_over)
                passed_over = []
        elif item.skipped_count >= MAX_SKIPS:
            break  # this group now has priority: the places are kept for it
        else:
            passed_over.append(item.pk)
    if promoted:
        _refresh_counts(occurrence)
        for item in promoted:
            mail.queue_email("promotion", item)
    return promoted


def cancel_registration(registration_id):
    """Cancellation by the participant (through the personal link), before the start."""
    with transaction.atomic():
        registration = Registration.objects.select_related("occurrence").get(pk=registration_id)
        occurrence = _locked_occurrence(registration.occurrence_id)
        registration.refresh_from_db()
        if registration.status == Registration.CANCELLED:
            raise RegistrationError("already_cancelled", _("Cette inscription est déjà annulée."))
        if occurrence.start <= timezone.now():
            raise RegistrationError(
                "too_late", _("L'activité a commencé : l'inscription ne peut plus être annulée en ligne.")
            )
        _cancel(registration)
        _refresh_counts(occurrence)
        mail.queue_email("registration_cancelled", registration)
        promote_waiting(occurrence)
        return registration


def _cancel(registration, by_organiser=False):
    registration.status = Registration.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancelled_by_organiser = by_organiser
    registration.save(update_fields=["status", "cancelled_at", "cancelled_by_organiser", "updated_at"])


def remove_registration(registration_id):
    """Removal by an organiser (no e-mail to the removed person); frees places for the waiting list."""
    with transaction.atomic():
        registration = Registration.objects.get(pk=registration_id)
        occurrence = _locked_occurrence(registration.occurrence_id)
        registration.refresh_from_db()
        if registration.status == Registration.CANCELLED:
            return []
        _cancel(registration, by_organiser=True)
        _refresh_counts(occurrence)
        return promote_waiting(occurrence)


def change_capacity(occurrence_id, capacity):
    """Set this date's own capacity (None = the event's); more places promote waiting people."""
    if capacity is not None and capacity < 0:
        raise RegistrationError("invalid_capacity", _("La jauge ne peut pas être négative."))
    with transaction.atomic():
        occurrence = _locked_occurrence(occurrence_id)
        occurrence.capacity_override = capacity
        occurrence.save(update_fields=["capacity_override", "updated_at"])
        return promote_waiting(occurrence)


def cancel_occurrence(occurrence_id, reason=""):
    """Cancel one date and e-mail everyone registered or waiting."""
    with transaction.atomic():
        occurrence = _locked_occurrence(occurrence_id)
        if occurrence.is_cancelled:
            raise RegistrationError("already_cancelled", _("Cette date est déjà annulée."))
        occurrence.status = Occurrence.CANCELLED
        occurrence.cancelled_reason = reason or ""
        # A new version of the date (RFC 5546): calendars apply the CANCEL over the REQUEST they hold.
        occurrence.sequence += 1
        occurrence.save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
        notified = list(occurrence.registrations.filter(status__in=Registration.ACTIVE))
        for registration in notified:
            mail.queue_email("occurrence_cancelled", registration)
        return notified


def resend_link(registration):
    """Send the personal link again (e.g. after a second registration with the same e-mail)."""
    with transaction.atomic():
        mail.queue_email("link", registration)


def sync_occurrences(event, horizon_days=None, now=None):
    """Create, move and remove occurrence rows so they follow the event's rule, up to the horizon.

    Rows are matched by local date (Europe/Paris): a new start time or duration moves a date's row, which
    keeps its registrations, raises its SEQUENCE and e-mails its registrants. Past occurrences are never
    touched. A future date the rule no longer produces is deleted if nobody registered, otherwise it is
    cancelled and its registrants are e-mailed. Kept dates promote their waiting list, since this runs on
    every publication (e.g. after the capacity was raised).
    """
    now = now or timezone.now()
    # Europe/Paris datetimes: .date() is the local day.
    wanted = {start.date(): start for start in planned_starts(event, now, horizon_days)}
    created = removed = cancelled = 0
    with transaction.atomic():
        kept, dropped = {}, []
        for occurrence in Occurrence.objects.select_for_update().filter(event=event, start__gt=now).order_by(
            "start", "pk"
        ):
            occurrence.event = event
            day = timezone.localtime(occurrence.start, PARIS).date()
            if day not in wanted:
                dropped.append(occurrence)
            elif day not in kept:
                kept[day] = occurrence
            elif occurrence.start == wanted[day] != kept[day].start:
                # Two rows on one day (older data): keep the one already at the right time.
                dropped.append(kept[day])
                kept[day] = occurrence
            else:
                dropped.append(occurrence)
        # Dropped rows first: their starts are free before kept rows move (unique event + start).
        for occurrence in dropped:
            if not occurrence.registrations.exists():
                occurrence.delete()
                removed += 1
            elif not occurrence.is_cancelled:
                cancel_occurrence(occurrence.pk, _("Cette date a été retirée du programme de l'activité."))
                cancelled += 1
        place = place_key(event)
        for day, occurrence in kept.items():
            start = wanted[day]
            if (occurrence.start, occurrence.end) != (start, start + event.duration) or (
                occurrence.place_key != place
            ):
                _move(occurrence, start, start + event.duration, place)
            if occurrence.waiting_places:
                promote_waiting(occurrence)
        to_create = [
            Occurrence(event=event, start=start, end=start + event.duration, place_key=place)
            for day, start in wanted.items()
            if day not in kept
        ]
        Occurrence.objects.bulk_create(to_create)
        created = len(to_create)
    return {"created": created, "removed": removed, "cancelled": cancelled}


def place_key(event):
    """A short fingerprint of where an event takes place: a new one makes a new version of its dates."""
    # Coordinates as numbers: a page from a revision holds "47.39", one from the database Decimal("47.39").
    coordinates = tuple(
        "" if value in (None, "") else f"{float(value):.6f}" for value in (event.latitude, event.longitude)
    )
    fields = (event.place_name, event.address, event.postal_code, event.city, *coordinates)
    return hashlib.sha256(repr(tuple(str(value or "").strip() for value in fields)).encode()).hexdigest()[:32]


def _move(occurrence, start, end, place):
    """New times or place for a date (row locked by the caller): its registrants get the new .ics.

    A row written before places were tracked (empty place_key) only learns its place: nothing changed.
    """
    moved = (occurrence.start, occurrence.end) != (start, end)
    changed = moved or bool(occurrence.place_key)
    if moved and occurrence.start != start:
        occurrence.previous_start = occurrence.start
    occurrence.start, occurrence.end, occurrence.place_key = start, end, place
    if changed:
        occurrence.sequence += 1
    occurrence.save(update_fields=["start", "end", "previous_start", "place_key", "sequence", "updated_at"])
    if occurrence.is_cancelled or not changed:
        return  # a cancelled date's registrants were told it will not take place
    for registration in occurrence.registrations.filter(status__in=Registration.ACTIVE):
        mail.queue_email("schedule_changed", registration)


def sync_all_events(horizon_days=None):
    """Extend every live event's occurrences up to the horizon (cron, e.g. daily)."""
    totals = {"created": 0, "removed": 0, "cancelled": 0}
    for event in event_pages().live().specific():
        for key, value in sync_occurrences(event, horizon_days).items():
            totals[key] += value
    return totals


def queue_reminders(now=None, hours=None):
    """Queue one reminder per confirmed registration starting within `hours`; never twice."""
    now = now or timezone.now()
    hours = hours or getattr(settings, "AGENDA_REMINDER_HOURS", 48)
    due = Registration.objects.filter(
        status=Registration.CONFIRMED,
        reminder_sent_at__isnull=True,
        anonymised_at__isnull=True,
        occurrence__status=Occurrence.SCHEDULED,
        occurrence__start__gt=now,
        occurrence__start__lte=now + datetime.timedelta(hours=hours),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(of=("self",)).select_related("occurrence__event").get(pk=pk)
            )
            if registration.reminder_sent_at is not None:
                continue
            registration.reminder_sent_at = now
            registration.save(update_fields=["reminder_sent_at", "updated_at"])
            mail.queue_email("reminder", registration, dedupe_key=f"reminder:{registration.pk}")
            count += 1
    return count


def purge_personal_data(now=None, days=None):
    """Anonymise registrations whose occurrence ended more than `days` ago; keep places and attendance."""
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    limit = now - datetime.timedelta(days=days)
    with transaction.atomic():
        registrations = Registration.objects.filter(occurrence__end__lt=limit, anonymised_at__isnull=True)
        emails_deleted, _detail = OutgoingEmail.objects.filter(
            registration__in=registrations.values("pk")
        ).delete()
        anonymised = registrations.update(name="", email="", phone="", access_key="", anonymised_at=now)
        # Orphan or old e-mails (e.g. reminders of deleted occurrences) also hold addresses.
        emails_deleted += OutgoingEmail.objects.filter(created_at__lt=limit).delete()[0]
    return {"anonymised": anonymised, "emails_deleted": emails_deleted}
