"""The one iCalendar (RFC 5545) builder: whole calendar, an event, an association, the e-mail attachment."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import (
    Calendar, Event, TimezoneDaylight, TimezoneStandard, vCalAddress, vCategory, vDDDTypes, vGeo, vRecur,
    vText, vUri,
)
from icalendar import Timezone as VTimezone

from biodiversitheque.core.absolute_urls import absolute_url

from .choices import EVENT_KIND_CHOICES
from .recurrences import PARIS

KIND_LABELS = dict(EVENT_KIND_CHOICES)
PRODID = "-//Biodiversitheque//Agenda//FR"
# The whole calendar's subscription feed: upcoming dates within this many days, nearest first, at most
# WHOLE_FEED_MAX of them (a calendar app re-reads it often; the site lists the rest).
WHOLE_FEED_DAYS = 90
WHOLE_FEED_MAX = 200
# The feed of one event or one association: every date from 30 days ago on, with a safety cap.
FEED_MAX_OCCURRENCES = 1000
# RFC 5546 methods: a feed publishes; an e-mail asks to add or update (REQUEST) or to remove (CANCEL).
PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"
TZID = "Europe/Paris"


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


def _paris(value):
    """Local time with TZID=Europe/Paris (the VTIMEZONE of the file says what that is)."""
    return vDDDTypes(value.astimezone(PARIS))


def _vtimezone():
    """Europe/Paris as the EU rule (last Sunday of March and of October), valid for every year since 1996:
    a few lines instead of a list of dates that would end."""
    zone = VTimezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    for component, start, month, offset_from, offset_to, name in (
        (TimezoneDaylight(), datetime.datetime(1970, 3, 29, 2, 0), 3, "+0100", "+0200", "CEST"),
        (TimezoneStandard(), datetime.datetime(1970, 10, 25, 3, 0), 10, "+0200", "+0100", "CET"),
    ):
        component.add("dtstart", start)
        component.add("rrule", vRecur({"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"}))
        component.add("tzoffsetfrom", datetime.timedelta(hours=int(offset_from[:3])))
        component.add("tzoffsetto", datetime.timedelta(hours=int(offset_to[:3])))
        component.add("tzname", name)
        zone.add_component(component)
    return zone


def _vevent(occurrence, shared, stamp, method):
    event = occurrence.event
    item = Event()
    item.add("uid", vText(occurrence.ical_uid), encode=False)
    # Raised by the services at each move, change of place or cancellation of the date (RFC 5545 3.8.7.4).
    item.add("sequence", occurrence.sequence)
    item.add("dtstamp", stamp, encode=False)
    item.add("dtstart", _paris(occurrence.start), encode=False)
    item.add("dtend", _paris(occurrence.end), encode=False)
    item.add("last-modified", _utc(occurrence.updated_at.replace(microsecond=0)), encode=False)
    for name, value in shared.items():
        item.add(name, value, encode=False)
    if occurrence.is_cancelled and occurrence.cancelled_reason:
        description = event.summary or event.search_description
        item["DESCRIPTION"] = vText(f"ANNULÉ : {occurrence.cancelled_reason}\n\n{description}".strip())
    cancelled = occurrence.is_cancelled or method == CANCEL
    item.add("status", vText("CANCELLED" if cancelled else "CONFIRMED"), encode=False)
    if method in (REQUEST, CANCEL):
        # Shown busy while it holds, free once cancelled (RFC 5545 3.8.2.7).
        item.add("transp", vText("TRANSPARENT" if cancelled else "OPAQUE"), encode=False)
    return item


def build_calendar(occurrences, name, method=PUBLISH, request=None):
    """Bytes of a VCALENDAR: the Europe/Paris VTIMEZONE and one VEVENT per occurrence (no personal data)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_vtimezone())
    stamp = _utc(timezone.now().replace(microsecond=0))
    shared = {}
    for occurrence in occurrences:
        if occurrence.event_id not in shared:
            shared[occurrence.event_id] = _event_properties(occurrence.event, request)
            if method in (REQUEST, CANCEL):  # RFC 5546: a REQUEST or a CANCEL names its organiser
                shared[occurrence.event_id]["ORGANIZER"] = _organizer(occurrence.event)
        calendar.add_component(_vevent(occurrence, shared[occurrence.event_id], stamp, method))
    return calendar.to_ical()


def calendar_response(request, occurrences, name, filename, limit=FEED_MAX_OCCURRENCES):
    """`occurrences` from OccurrenceQuerySet.for_feed(): one query, events fetched with the dates."""
    occurrences = occurrences[:limit]
    response = HttpResponse(
        build_calendar(occurrences, name, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def registration_ics(registration, method=REQUEST):
    """The attachment of the agenda's e-mails: the registered occurrence only.

    REQUEST (confirmation, promotion, change) or CANCEL (the date or the registration is cancelled), with
    the date's stable UID and SEQUENCE, so a calendar updates or removes the entry it already has.
    A cancelled date is always a CANCEL. No ATTENDEE: no personal data in the file.
    """
    occurrence = registration.occurrence
    if occurrence.is_cancelled:
        method = CANCEL
    return build_calendar([occurrence], occurrence.event.title, method=method).decode()
