"""The one iCalendar (RFC 5545) builder: whole calendar, an event, an association, the e-mail attachment."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vCategory, vDDDTypes, vGeo, vText, vUri

from biodiversitheque.core.absolute_urls import absolute_url

from .choices import EVENT_KIND_CHOICES

KIND_LABELS = dict(EVENT_KIND_CHOICES)
PRODID = "-//Biodiversitheque//Agenda//FR"
# The whole calendar's subscription feed: upcoming dates within this many days, nearest first, at most
# WHOLE_FEED_MAX of them (a calendar app re-reads it often; the site lists the rest).
WHOLE_FEED_DAYS = 90
WHOLE_FEED_MAX = 200
# The feed of one event or one association: every date from 30 days ago on, with a safety cap.
FEED_MAX_OCCURRENCES = 1000


def _address(event):
    parts = [event.place_name, event.address, " ".join(filter(None, [event.postal_code, event.city]))]
    return ", ".join(part for part in parts if part)


def _event_properties(event, request):
    """Encoded properties shared by every date of an event: built once per event, not once per date."""
    properties = {"SUMMARY": vText(event.title), "LOCATION": vText(_address(event))}
    if event.latitude is not None and event.longitude is not None:
        properties["GEO"] = vGeo((float(event.latitude), float(event.longitude)))
    description = event.summary or event.search_description
    if description:
        properties["DESCRIPTION"] = vText(description)
    properties["CATEGORIES"] = vCategory([str(KIND_LABELS.get(event.kind, event.kind))])
    url = event.url_path and absolute_url(event.get_url(request))
    if url:
        properties["URL"] = vUri(url)
    return properties


def _organizer(event):
    """The portal's sender address, named after the event's organiser."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = vText(event.organiser_name)
    return organizer


def _utc(value):
    return vDDDTypes(value.astimezone(datetime.UTC))


def _vevent(occurrence, shared, stamp):
    event = occurrence.event
    item = Event()
    item.add("uid", vText(occurrence.ical_uid), encode=False)
    item.add("sequence", occurrence.sequence)
    item.add("dtstamp", stamp, encode=False)
    # UTC times: valid everywhere without a VTIMEZONE block; clients show local time.
    item.add("dtstart", _utc(occurrence.start), encode=False)
    item.add("dtend", _utc(occurrence.end), encode=False)
    item.add("last-modified", _utc(occurrence.updated_at.replace(microsecond=0)), encode=False)
    for name, value in shared.items():
        item.add(name, value, encode=False)
    if occurrence.is_cancelled and occurrence.cancelled_reason:
        description = event.summary or event.search_description
        item["DESCRIPTION"] = vText(f"ANNULÉ : {occurrence.cancelled_reason}\n\n{description}".strip())
    item.add("status", vText("CANCELLED" if occurrence.is_cancelled else "CONFIRMED"), encode=False)
    return item


def build_calendar(occurrences, name, method=None, request=None):
    """Bytes of a VCALENDAR with one VEVENT per occurrence (no personal data)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = _utc(timezone.now().replace(microsecond=0))
    shared = {}
    for occurrence in occurrences:
        if occurrence.event_id not in shared:
            shared[occurrence.event_id] = _event_properties(occurrence.event, request)
            if method == "REQUEST":  # RFC 5546: a REQUEST names its organiser
                shared[occurrence.event_id]["ORGANIZER"] = _organizer(occurrence.event)
        calendar.add_component(_vevent(occurrence, shared[occurrence.event_id], stamp))
    return calendar.to_ical()


def calendar_response(request, occurrences, name, filename, limit=FEED_MAX_OCCURRENCES):
    """`occurrences` from OccurrenceQuerySet.for_feed(): one query, events fetched with the dates."""
    occurrences = occurrences[:limit]
    response = HttpResponse(
        build_calendar(occurrences, name, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def registration_ics(registration):
    """The attachment of the confirmation and schedule-change e-mails: the registered occurrence only.

    METHOD:REQUEST with the date's stable UID and SEQUENCE, so a calendar updates the entry it already has.
    No ATTENDEE: no personal data in the file.
    """
    occurrence = registration.occurrence
    return build_calendar([occurrence], occurrence.event.title, method="REQUEST").decode()
