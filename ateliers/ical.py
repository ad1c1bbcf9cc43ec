"""The one iCalendar (RFC 5545) builder: whole calendar, an event, an association, the e-mail attachment."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Biodiversitheque//Agenda//FR"
# A subscription feed stays small enough for calendar apps: the next dates first, at most this many.
FEED_MAX_OCCURRENCES = 1000


def _address(event):
    parts = [event.place_name, event.address, " ".join(filter(None, [event.postal_code, event.city]))]
    return ", ".join(part for part in parts if part)


def _vevent(occurrence, base_url, stamp):
    event = occurrence.event
    item = Event()
    item.add("uid", occurrence.ical_uid)
    item.add("dtstamp", stamp)
    # UTC times: valid everywhere without a VTIMEZONE block; clients show local time.
    item.add("dtstart", occurrence.start.astimezone(datetime.UTC))
    item.add("dtend", occurrence.end.astimezone(datetime.UTC))
    item.add("last-modified", occurrence.updated_at.astimezone(datetime.UTC))
    item.add("summary", event.title)
    item.add("location", _address(event))
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    description = event.summary or event.search_description
    if occurrence.is_cancelled and occurrence.cancelled_reason:
        description = f"ANNULÉ : {occurrence.cancelled_reason}\n\n{description}"
    if description:
        item.add("description", description)
    item.add("categories", [event.get_kind_display()])
    item.add("status", "CANCELLED" if occurrence.is_cancelled else "CONFIRMED")
    url = event.url_path and event.get_url()
    if url:
        item.add("url", url if url.startswith("http") else f"{base_url}{url}")
    return item


def build_calendar(occurrences, name, method=None):
    """Bytes of a VCALENDAR with one VEVENT per occurrence (no personal data)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    base_url = settings.WAGTAILADMIN_BASE_URL
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for occurrence in occurrences:
        calendar.add_component(_vevent(occurrence, base_url, stamp))
    return calendar.to_ical()


def calendar_response(request, occurrences, name, filename):
    occurrences = occurrences[:FEED_MAX_OCCURRENCES]
    response = HttpResponse(build_calendar(occurrences, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def registration_ics(registration):
    """The attachment of the confirmation e-mail: the registered occurrence only."""
    occurrence = registration.occurrence
    return build_calendar([occurrence], occurrence.event.title, method="PUBLISH").decode()
