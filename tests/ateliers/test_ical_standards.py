"""RFC 5545 / 5546 behaviour of the agenda's .ics, read by two independent parsers (icalendar and vobject)."""

import datetime

import recurrence
import vobject
from django.utils import timezone
from icalendar import Calendar

from ateliers import services
from ateliers.models import Occurrence, Registration

from .conftest import reload


def sign_up(occurrence, email, places=1, **kwargs):
    return services.register(occurrence.pk, name=email.split("@")[0].title(), email=email, places=places, **kwargs)


def both(data):
    """The same file through both parsers: (icalendar Calendar, vobject component)."""
    text = data.decode() if isinstance(data, bytes) else data
    return Calendar.from_ical(text), vobject.readOne(text)


def attachment(message):
    (name, content, mimetype), = message.attachments
    assert name.endswith(".ics")
    return content, mimetype


def test_feed_is_published_in_paris_time_with_its_timezone_across_daylight_saving(client, make_event, agenda):
    # One date in winter and one in summer: the VTIMEZONE must give +01:00 and +02:00.
    first = timezone.localdate() + datetime.timedelta(days=3)
    rule = recurrence.deserialize("RRULE:FREQ=MONTHLY;INTERVAL=6;COUNT=2", include_dtstart=False)
    event = make_event(first_date=first, start_time=datetime.time(10), recurrence=rule)
    response = client.get(f"{event.url}agenda.ics")
    calendar, card = both(response.content)

    assert (str(calendar["VERSION"]), str(calendar["METHOD"])) == ("2.0", "PUBLISH")
    assert calendar["PRODID"] and card.method.value == "PUBLISH"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    starts = {occurrence.ical_uid: occurrence.start for occurrence in event.occurrences.all()}
    assert len(starts) == 2
    offsets = set()
    for item in card.vevent_list:
        assert item.dtstart.value.tzinfo is not None  # vobject turned TZID into its own zone
        # vobject computes the instant from our VTIMEZONE only: it must be the stored one.
        assert item.dtstart.value == starts[item.uid.value]
        assert item.dtstamp.value.utcoffset() == datetime.timedelta(0)
        assert item.sequence.value == "0"
        assert item.status.value == "CONFIRMED"
        local = item.dtstart.value.astimezone(datetime.timezone(item.dtstart.value.utcoffset()))
        assert local.hour == 10
        offsets.add(item.dtstart.value.utcoffset())
    assert offsets == {datetime.timedelta(hours=1), datetime.timedelta(hours=2)}
    for item in calendar.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS"} <= set(item)
        assert item["DTSTART"].params["TZID"] == item["DTEND"].params["TZID"] == "Europe/Paris"
        assert item["DTSTAMP"].to_ical().endswith(b"Z")
        assert "ORGANIZER" not in item  # PUBLISH: no organiser needed, no reply expected


def test_confirmation_is_a_request_and_a_cancelled_date_a_cancel_with_a_higher_sequence(
    client, occurrence, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(occurrence, "lea@example.org")
    content, mimetype = attachment(mailoutbox[-1])
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    request, request_card = both(content)
    assert str(request["METHOD"]) == request_card.method.value == "REQUEST"
    added = request.walk("VEVENT")[0]
    assert str(added["ORGANIZER"]).startswith("mailto:")
    assert (str(added["STATUS"]), added["SEQUENCE"]) == ("CONFIRMED", 0)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_occurrence(occurrence.pk, "Tempête annoncée")
    assert reload(occurrence).sequence == 1
    content, mimetype = attachment(mailoutbox[-1])
    assert "method=CANCEL" in mimetype
    cancel, cancel_card = both(content)
    assert str(cancel["METHOD"]) == cancel_card.method.value == "CANCEL"
    removed = cancel.walk("VEVENT")[0]
    assert str(removed["UID"]) == str(added["UID"]) == cancel_card.vevent.uid.value
    assert removed["SEQUENCE"] == int(cancel_card.vevent.sequence.value) == 1 > added["SEQUENCE"]
    assert str(removed["STATUS"]) == cancel_card.vevent.status.value == "CANCELLED"
    assert str(removed["ORGANIZER"]).startswith("mailto:")  # RFC 5546 3.2.5
    # The public feed says the same: cancelled, same UID, new SEQUENCE.
    feed = Calendar.from_ical(client.get(f"{occurrence.event.url}agenda.ics").content)
    (listed,) = feed.walk("VEVENT")
    assert (str(listed["UID"]), listed["SEQUENCE"], str(listed["STATUS"])) == (str(added["UID"]), 1, "CANCELLED")


def test_a_cancelled_registration_takes_the_date_out_of_the_calendar_only_if_it_was_in(
    make_occurrence, mailoutbox, django_capture_on_commit_callbacks
):
    occurrence = make_occurrence(capacity=1)
    confirmed = sign_up(occurrence, "lea@example.org")
    waiting = sign_up(occurrence, "max@example.org", wants_waiting_list=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(waiting.pk)
        services.cancel_registration(confirmed.pk)
    by_person = {message.to[0]: message for message in mailoutbox if "annulée" in message.subject.lower()}
    content, _mimetype = attachment(by_person["lea@example.org"])
    calendar, card = both(content)
    assert card.method.value == "CANCEL" and card.vevent.status.value == "CANCELLED"
    assert card.vevent.uid.value == occurrence.ical_uid
    # The date itself did not change: same version as the REQUEST the person holds.
    assert int(card.vevent.sequence.value) == reload(occurrence).sequence == 0
    assert not by_person["max@example.org"].attachments  # never had it in his calendar


def test_a_new_place_or_time_is_a_new_version_of_each_date(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(start_time=datetime.time(10))
    occurrence = event.occurrences.get()
    sign_up(occurrence, "lea@example.org")
    mailoutbox.clear()
    event.place_name = "Mare du Bois Joli"
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    moved = reload(occurrence)
    assert (moved.sequence, moved.start, moved.previous_start) == (1, occurrence.start, None)
    (change,) = mailoutbox
    content, mimetype = attachment(change)
    calendar, card = both(content)
    assert card.method.value == "REQUEST" and "method=REQUEST" in mimetype
    assert card.vevent.sequence.value == "1" and "Mare du Bois Joli" in card.vevent.location.value

    mailoutbox.clear()
    event.start_time = datetime.time(15)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    moved = reload(occurrence)
    assert (moved.sequence, moved.previous_start) == (2, occurrence.start)
    assert timezone.localtime(moved.start).hour == 15
    assert len(mailoutbox) == 1
    # A publication that changes nothing makes no new version.
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert reload(occurrence).sequence == 2 and len(mailoutbox) == 1


def test_rows_written_before_places_were_tracked_learn_their_place_without_a_new_version(make_event):
    event = make_event()
    Occurrence.objects.filter(event=event).update(place_key="")
    services.sync_occurrences(event)
    occurrence = event.occurrences.get()
    assert occurrence.place_key == services.place_key(event) and occurrence.sequence == 0


def test_publishing_an_event_with_coordinates_unchanged_is_no_new_version(make_event):
    # The revision holds the coordinates as text, the database as decimals: the same place all the same.
    event = make_event(latitude="47.3941", longitude="0.6848")
    event.save_revision().publish()
    assert event.occurrences.get().sequence == 0
