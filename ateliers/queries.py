"""Calendar filters shared by the HTML list, the month view and /api/agenda/, and the month grid."""

import calendar
import datetime

from django.db.models import F, Q
from django.utils import timezone

from .choices import ORGANISER_SELF
from .models.occurrences import Occurrence, event_pages
from .recurrences import PARIS


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


FILTERS = {
    "kind": lambda value: Q(event__kind=value),
    "theme": lambda value: Q(event__in=event_pages().filter(themes__slug=value).values("pk")),
    "audience": lambda value: Q(event__in=event_pages().filter(audiences__slug=value).values("pk")),
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


def month_grid(first_day, occurrences, list_url, query):
    """Weeks (Monday first) of cells for a month view. `occurrences` come from first_per_day(): each cell
    gets its dates, the number of others (`more`) and a link to the list filtered on that day (`more_url`),
    keeping the other filters of `query` (a QueryDict)."""
    by_day = {}
    for occurrence in occurrences:
        by_day.setdefault(occurrence.start.astimezone(PARIS).date(), []).append(occurrence)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first_day.year, first_day.month)
    today = timezone.localdate()
    grid = []
    for week in weeks:
        row = []
        for day in week:
            shown = by_day.get(day, [])
            more = shown[0].day_total - len(shown) if shown else 0
            cell = {"day": day, "in_month": day.month == first_day.month, "occurrences": shown, "more": more}
            if more and day >= today:  # the list shows upcoming dates only
                day_query = query.copy()
                day_query["date_from"] = day_query["date_to"] = day.isoformat()
                cell["more_url"] = f"{list_url}?{day_query.urlencode()}"
            row.append(cell)
        grid.append(row)
    return grid
