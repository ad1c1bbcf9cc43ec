"""Turn an event's django-recurrence rule into local start datetimes (Europe/Paris, DST-correct)."""

import datetime
from zoneinfo import ZoneInfo

import recurrence as recurrence_lib
from django.conf import settings
from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def local_starts(rule, first_date, start_time, until):
    """Aware start datetimes from first_date to until (dates, inclusive), at start_time Paris time.

    Rules run on naive wall-clock times and are localised afterwards, so a 10:00 walk stays at
    10:00 across daylight-saving changes. Excluded and added dates are compared by calendar day:
    the widget stores them at midnight, whatever the event's start time.
    """
    if until < first_date:
        return []
    days = set()
    rrules = list(getattr(rule, "rrules", []) or [])
    if rrules:
        ruleset = recurrence_lib.Recurrence(
            rrules=rrules, exrules=list(rule.exrules), include_dtstart=False
        )
        dtstart = datetime.datetime.combine(first_date, datetime.time.min)
        before = datetime.datetime.combine(until, datetime.time.max)
        days.update(value.date() for value in ruleset.between(dtstart, before, inc=True, dtstart=dtstart))
    rdates = [value.date() if isinstance(value, datetime.datetime) else value for value in getattr(rule, "rdates", [])]
    days.update(day for day in rdates if first_date <= day <= until)
    if not rrules and not rdates:
        days.add(first_date)
    excluded = {value.date() if isinstance(value, datetime.datetime) else value for value in getattr(rule, "exdates", [])}
    return [
        datetime.datetime.combine(day, start_time, tzinfo=PARIS)
        for day in sorted(days - excluded)
    ]


def planned_starts(event, now=None, horizon_days=None):
    """The starts publishing keeps for `event` (saved or not): after now, up to the agenda's horizon."""
    now = now or timezone.now()
    horizon_days = horizon_days or getattr(settings, "AGENDA_HORIZON_DAYS", 540)
    until = timezone.localdate(now) + datetime.timedelta(days=horizon_days)
    return [start for start in event.local_starts(until) if start > now]
