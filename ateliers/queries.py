"""Calendar filters shared by the HTML list, the month view and /api/agenda/, and the month grid."""

import calendar
import datetime

from django.db.models import F, Q

from .models import EventPage, Occurrence
from .recurrences import PARIS

ORGANISER_SELF = "biodiversitheque"


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


FILTERS = {
    "kind": lambda value: Q(event__kind=value),
    "theme": lambda value: Q(event__in=EventPage.objects.filter(themes__slug=value).values("pk")),
    "audience": lambda value: Q(event__in=EventPage.objects.filter(audiences__slug=value).values("pk")),
    "organiser": lambda value: Q(event__organiser__isnull=True)
    if value == ORGANISER_SELF
    else Q(event__organiser__slug=value),
    "date_from": lambda value: Q(start__gte=_day_start(value)),
    "date_to": lambda value: Q(start__lt=_day_start(value + datetime.timedelta(days=1))),
    "places": lambda value: Q(status=Occurrence.SCHEDULED, event__registration_required=True)
    & (
        Q(capacity_override__isnull=False, capacity_override__gt=F("confirmed_places"))
        | Q(capacity_override__isnull=True, event__capacity__gt=F("confirmed_places"))
    ),
}


def filter_occurrences(queryset, filters):
    """Apply every set filter of a cleaned AgendaFilterForm (None/False/'' = not set)."""
    for key, build in FILTERS.items():
        value = filters.get(key)
        if value not in (None, False, ""):
            queryset = queryset.filter(build(value))
    return queryset


def month_grid(first_day, occurrences):
    """Weeks (Monday first) of (day, in_month, [occurrences]) for a month view."""
    by_day = {}
    for occurrence in occurrences:
        by_day.setdefault(occurrence.start.astimezone(PARIS).date(), []).append(occurrence)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
    return [
        [{"day": day, "in_month": day.month == first_day.month, "occurrences": by_day.get(day, [])} for day in week]
        for week in weeks
    ]
