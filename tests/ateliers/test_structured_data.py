"""schema.org Event JSON-LD of event pages, checked against Google's required and recommended properties."""

import datetime
import json
import re

import recurrence
import wagtail_factories
from django.utils import timezone

from ateliers import services
from ateliers.structured_data import availability, price_of

from .conftest import reload

BASE = "https://schema.org/"
# https://developers.google.com/search/docs/appearance/structured-data/event
GOOGLE_REQUIRED = {"name", "startDate", "location"}
GOOGLE_RECOMMENDED = {"description", "endDate", "eventStatus", "image", "offers", "organizer", "eventAttendanceMode"}


def json_ld(client, event):
    html = client.get(event.url).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def sign_up(occurrence, email, places=1):
    return services.register(occurrence.pk, name="P", email=email, places=places)


def test_each_date_has_the_required_and_recommended_properties(client, make_event, settings):
    event = make_event(
        title="Balade des mares", kind="balade", capacity=8, is_free=False, price="5 €, 3 € pour les adhérents",
        listing_image=wagtail_factories.ImageFactory(), latitude="47.394100", longitude="0.684800",
    )
    (item,) = json_ld(client, event)
    occurrence = event.occurrences.get()
    assert GOOGLE_REQUIRED | GOOGLE_RECOMMENDED <= set(item)
    assert item["@context"] == "https://schema.org" and item["@type"] == "Event"
    assert item["@id"] == f"{settings.BASE_URL}{event.url}#date-{occurrence.uid}"
    assert item["location"]["@type"] == "Place" and item["location"]["address"]["addressLocality"]
    assert item["startDate"] == timezone.localtime(occurrence.start).isoformat()
    assert item["startDate"][-6:] in ("+01:00", "+02:00")
    assert item["eventStatus"] == BASE + "EventScheduled"
    assert item["eventAttendanceMode"] == BASE + "OfflineEventAttendanceMode"
    assert item["organizer"]["name"] and item["organizer"]["url"].startswith(settings.BASE_URL)
    (image,) = item["image"]
    assert image.startswith(settings.BASE_URL) and ".fill-1200x675" in image
    offer = item["offers"]
    assert (offer["@type"], offer["price"], offer["priceCurrency"]) == ("Offer", 5.0, "EUR")
    assert offer["url"] == occurrence.get_full_registration_url()
    assert offer["availability"] == BASE + "InStock"
    assert "superEvent" not in item  # a single date is no series


def test_availability_follows_the_seats_left(make_occurrence):
    occurrence = make_occurrence(capacity=8)
    assert availability(occurrence) == "InStock"
    sign_up(occurrence, "a@example.org", places=4)
    sign_up(occurrence, "b@example.org", places=2)
    assert availability(reload(occurrence)) == "LimitedAvailability"  # 2 of 8 left
    sign_up(occurrence, "c@example.org", places=2)
    assert availability(reload(occurrence)) == "SoldOut"


def test_free_event_and_a_tariff_without_amount(make_event):
    assert price_of(make_event(is_free=True)) == 0
    assert price_of(make_event(is_free=False, price="Prix libre")) is None
    assert price_of(make_event(is_free=False, price="Adhérents 2,50 €")) == 2.5


def test_cancelled_and_rescheduled_dates(client, make_event):
    rule = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=2", include_dtstart=False)
    event = make_event(recurrence=rule, start_time=datetime.time(10))
    first, second = event.occurrences.order_by("start")
    services.cancel_occurrence(first.pk, "Tempête")
    old_start = second.start
    event.start_time = datetime.time(14)
    event.save_revision().publish()
    items = {item["@id"].rsplit("#date-", 1)[-1]: item for item in json_ld(client, event) if "#date-" in item["@id"]}
    cancelled, moved = items[str(first.uid)], items[str(second.uid)]
    assert cancelled["eventStatus"] == BASE + "EventCancelled" and "offers" not in cancelled
    assert moved["eventStatus"] == BASE + "EventRescheduled"
    assert moved["previousStartDate"] == timezone.localtime(old_start).isoformat()
    assert moved["startDate"] == timezone.localtime(reload(second).start).isoformat()


def test_recurring_event_is_an_event_series_with_its_schedule(client, make_event, settings):
    # "Every first Saturday from April to October, except in August", at 10:00 for 2 h 30.
    rule = recurrence.deserialize(
        "RRULE:FREQ=MONTHLY;BYDAY=1SA;BYMONTH=4,5,6,7,9,10", include_dtstart=False
    )
    event = make_event(
        recurrence=rule, start_time=datetime.time(10), duration_minutes=150,
        first_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    data = json_ld(client, event)
    series = data[-1]
    dates = data[:-1]
    assert dates and all(item["superEvent"] == {"@id": series["@id"]} for item in dates)
    assert series["@type"] == "EventSeries" and series["@id"] == f"{settings.BASE_URL}{event.url}#serie"
    assert {item["@id"] for item in series["subEvent"]} == {item["@id"] for item in dates}
    assert GOOGLE_REQUIRED - {"startDate"} <= set(series)
    schedule = series["eventSchedule"]
    assert schedule == {
        "@type": "Schedule",
        "repeatFrequency": "P1M",
        "byDay": [BASE + "Saturday"],
        "byMonthWeek": [1],
        "byMonth": [4, 5, 6, 7, 9, 10],
        "startDate": event.first_date.isoformat(),
        "startTime": "10:00:00",
        "endTime": "12:30:00",
        "duration": "PT2H30M",
        "scheduleTimezone": "Europe/Paris",
    }
