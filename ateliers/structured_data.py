"""schema.org Event data for event pages (public information only).

Each date is an Event (Google's required name, startDate, location, and its recommended properties); a
repeating event is also an EventSeries whose eventSchedule is a schema.org Schedule read from the rule.
"""

import datetime
import re

from django.conf import settings
from django.utils import timezone

from biodiversitheque.core.absolute_urls import absolute_url

from .ical import TZID

KIND_TO_TYPE = {"conference": "EducationEvent", "formation": "EducationEvent"}
SCHEMA = "https://schema.org/"
JSON_LD_MAX_DATES = 10
IMAGE_SPEC = "fill-1200x675"  # 16:9, at least 1200 px wide, as search engines ask
# django-recurrence's frequencies (YEARLY=0 … DAILY=3) as ISO 8601 durations, for Schedule.repeatFrequency.
FREQUENCY_UNITS = {0: "Y", 1: "M", 2: "W", 3: "D"}
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PRICE = re.compile(r"(\d+(?:[.,]\d{1,2})?)")


def image_url(event):
    """Absolute URL of the event's listing image (a rendition), or "" when it has none."""
    if not event.listing_image_id:
        return ""
    return absolute_url(event.listing_image.get_rendition(IMAGE_SPEC).url)


def price_of(event):
    """The price as a number for schema.org and OpenAgenda: 0 when free, the first amount of the tariff
    text otherwise ("5 €, 3 € pour les adhérents" → 5.0), None when the text has no amount."""
    if event.is_free:
        return 0
    match = PRICE.search(event.price or "")
    return float(match.group(1).replace(",", ".")) if match else None


def availability(occurrence):
    """SoldOut, LimitedAvailability (a quarter of the places or less) or InStock."""
    event = occurrence.event
    if not event.registration_required:
        return "InStock"
    seats_left = occurrence.seats_left
    if seats_left == 0:
        return "SoldOut"
    return "LimitedAvailability" if seats_left * 4 <= occurrence.capacity else "InStock"


def event_status(occurrence):
    if occurrence.is_cancelled:
        return "EventCancelled"
    if occurrence.previous_start and occurrence.previous_start != occurrence.start:
        return "EventRescheduled"
    return "EventScheduled"


def _place(event):
    place = {
        "@type": "Place",
        "name": event.place_name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": event.address,
            "postalCode": event.postal_code,
            "addressLocality": event.city,
            "addressCountry": "FR",
        },
    }
    if event.latitude is not None and event.longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(event.latitude),
                        "longitude": float(event.longitude)}
    return place


def _organizer(event, request):
    organiser = event.organiser
    if organiser is None:
        return {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME, "url": absolute_url("/")}
    url = organiser.website or absolute_url(organiser.get_url(request) or "")
    return {"@type": "Organization", "name": organiser.name, **({"url": url} if url else {})}


def _offer(occurrence, request, url):
    event = occurrence.event
    offer = {
        "@type": "Offer",
        "price": price_of(event),
        "priceCurrency": "EUR",
        "url": absolute_url(occurrence.get_registration_url(request)) if event.registration_required else url,
        "availability": SCHEMA + availability(occurrence),
    }
    if offer["price"] is None:
        del offer["price"]  # a tariff with no amount: say nothing rather than a wrong number
    if event.registration_required and occurrence.registration_opens_at:
        offer["validFrom"] = timezone.localtime(occurrence.registration_opens_at).isoformat()
    return offer


def _duration(minutes):
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def schedule(event):
    """schema.org Schedule of the event's first rule (None for a single date)."""
    rules = list(event.recurrence.rrules) if event.recurrence else []
    if not rules:
        return None
    rule = rules[0]
    end_time = (datetime.datetime.combine(event.first_date, event.start_time) + event.duration).time()
    data = {
        "@type": "Schedule",
        "repeatFrequency": f"P{rule.interval or 1}{FREQUENCY_UNITS[rule.freq]}",
        "startDate": event.first_date.isoformat(),
        "startTime": event.start_time.isoformat(timespec="seconds"),
        "endTime": end_time.isoformat(timespec="seconds"),
        "duration": _duration(event.duration_minutes),
        "scheduleTimezone": TZID,
    }
    weekdays = list(rule.byday or [])
    if weekdays:
        data["byDay"] = [SCHEMA + DAY_NAMES[day.number] for day in weekdays]
        # "every first Saturday": the week of the month (schema.org byMonthWeek, 1-5, negative from the end).
        weeks = sorted({day.index for day in weekdays if day.index})
        if weeks:
            data["byMonthWeek"] = weeks
    if rule.bymonth:
        data["byMonth"] = list(rule.bymonth)
    if rule.bymonthday:
        data["byMonthDay"] = list(rule.bymonthday)
    if rule.until:
        data["endDate"] = rule.until.date().isoformat()
    if rule.count:
        data["repeatCount"] = rule.count
    excluded = sorted({value.date().isoformat() for value in event.recurrence.exdates})
    if excluded:
        data["exceptDate"] = excluded
    return data


def event_json_ld(event, request, occurrences):
    """JSON-LD objects of an event page: one Event per upcoming date (at most 10), and its EventSeries."""
    url = absolute_url(event.get_url(request))
    place = _place(event)
    organizer = _organizer(event, request)
    image = image_url(event)
    series_schedule = schedule(event)
    series_id = f"{url}#serie"
    items = []
    for occurrence in occurrences[:JSON_LD_MAX_DATES]:
        item = {
            "@context": "https://schema.org",
            "@type": KIND_TO_TYPE.get(event.kind, "Event"),
            "@id": f"{url}#date-{occurrence.uid}",
            "name": event.title,
            "description": event.summary or event.search_description or event.title,
            "startDate": timezone.localtime(occurrence.start).isoformat(),
            "endDate": timezone.localtime(occurrence.end).isoformat(),
            "eventStatus": SCHEMA + event_status(occurrence),
            "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
            "location": place,
            "url": url,
            "isAccessibleForFree": event.is_free,
            "organizer": organizer,
            "inLanguage": "fr",
        }
        if image:
            item["image"] = [image]
        if item["eventStatus"].endswith("EventRescheduled"):
            item["previousStartDate"] = timezone.localtime(occurrence.previous_start).isoformat()
        if not occurrence.is_cancelled:
            item["offers"] = _offer(occurrence, request, url)
        if event.minimum_age:
            item["typicalAgeRange"] = f"{event.minimum_age}-"
        if event.registration_required:
            item["maximumAttendeeCapacity"] = occurrence.capacity
            item["remainingAttendeeCapacity"] = occurrence.seats_left
        if series_schedule:
            item["superEvent"] = {"@id": series_id}
        items.append(item)
    if series_schedule:
        series = {
            "@context": "https://schema.org",
            "@type": "EventSeries",
            "@id": series_id,
            "name": event.title,
            "description": event.summary or event.search_description or event.title,
            "url": url,
            "location": place,
            "organizer": organizer,
            "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
            "eventSchedule": series_schedule,
            "subEvent": [{"@id": item["@id"]} for item in items],
        }
        if image:
            series["image"] = [image]
        items.append(series)
    return items
