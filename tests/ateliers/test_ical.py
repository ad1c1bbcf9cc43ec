import datetime

import recurrence
from django.utils import timezone
from icalendar import Calendar

from ateliers import services
from ateliers.ical import registration_ics
from tests.factories import AssociationFactory


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_whole_calendar_feed_is_valid_with_stable_uids(client, make_event, agenda):
    event = make_event(recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=3", include_dtstart=False))
    first = parse(client.get(f"{agenda.url}agenda.ics"))
    events = first.walk("VEVENT")
    assert len(events) == 3
    assert all(item["DTSTART"].params["TZID"] == "Europe/Paris" for item in events)
    assert str(first["METHOD"]) == "PUBLISH"
    occurrence = event.occurrences.order_by("start").first()
    services.cancel_occurrence(occurrence.pk, "Tempête")
    second = parse(client.get(f"{agenda.url}agenda.ics")).walk("VEVENT")
    assert {str(item["UID"]) for item in events} == {str(item["UID"]) for item in second}
    cancelled = [item for item in second if str(item["UID"]) == occurrence.ical_uid][0]
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_whole_calendar_feed_is_bounded_but_event_feeds_are_full(
    client, make_event, agenda, django_assert_max_num_queries
):
    from ateliers.ical import WHOLE_FEED_DAYS

    weekly = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=WE", include_dtstart=False)
    event = make_event(title="Chaque mercredi", recurrence=weekly)
    make_event(title="Autre")
    with django_assert_max_num_queries(12) as few:
        whole = parse(client.get(f"{agenda.url}agenda.ics")).walk("VEVENT")
    baseline = len(few.captured_queries)  # read now: the log is reset by later requests
    horizon = timezone.now() + datetime.timedelta(days=WHOLE_FEED_DAYS)
    assert all(item["DTSTART"].dt < horizon for item in whole)
    weekly_in_whole = [item for item in whole if str(item["SUMMARY"]) == "Chaque mercredi"]
    assert 11 <= len(weekly_in_whole) <= 14
    event_feed = parse(client.get(f"{event.url}agenda.ics")).walk("VEVENT")
    assert len(event_feed) == event.occurrences.count() > 60
    for index in range(5):
        make_event(title=f"Atelier {index}", recurrence=weekly)
    with django_assert_max_num_queries(baseline):
        client.get(f"{agenda.url}agenda.ics")


def test_event_and_association_feeds(client, make_event, directory_page):
    association = AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares")
    event = make_event(title="Mare", organiser=association)
    make_event(title="Autre")
    assert len(parse(client.get(f"{event.url}agenda.ics")).walk("VEVENT")) == 1
    feed = parse(client.get(f"{directory_page.url}les-amis-des-mares/agenda.ics"))
    assert [str(item["SUMMARY"]) for item in feed.walk("VEVENT")] == ["Mare"]
    assert client.get(f"{directory_page.url}inconnue/agenda.ics").status_code == 404


def test_attachment_has_only_the_registered_occurrence(occurrence):
    registration = services.register(occurrence.pk, name="A", email="a@example.org", places=1)
    calendar = Calendar.from_ical(registration_ics(registration))
    assert [str(item["UID"]) for item in calendar.walk("VEVENT")] == [occurrence.ical_uid]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["ORGANIZER"]).startswith("mailto:")
    assert "a@example.org" not in registration_ics(registration)
