import datetime

import pytest
import recurrence
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from ateliers.models import AssociationEventsPage
from ateliers.models import AgendaPage, EventPage, Occurrence, Registration
from ateliers.services import register, sync_occurrences
from biodiversitheque.portal.models import HomePage

WEEKLY = "RRULE:FREQ=WEEKLY;BYDAY=SA"


class TestPageTree(WagtailPageTestCase):
    def test_parents(self):
        self.assertAllowedParentPageTypes(AgendaPage, {HomePage})
        # Association events live in their association's folder (associations' space).
        self.assertAllowedParentPageTypes(EventPage, {AgendaPage, AssociationEventsPage})
        self.assertAllowedSubpageTypes(AgendaPage, {EventPage, AssociationEventsPage})


def test_publishing_an_event_generates_its_occurrences(agenda):
    first = timezone.localdate() + datetime.timedelta(days=3)
    event = EventPage(
        title="Chantier haie", place_name="Chemin des Prés", first_date=first, start_time=datetime.time(9),
        recurrence=recurrence.deserialize(WEEKLY, include_dtstart=False), capacity=8,
    )
    agenda.add_child(instance=event)
    assert not event.occurrences.exists()
    event.save_revision().publish()
    starts = list(event.occurrences.values_list("start", flat=True))
    assert 20 < len(starts) <= 80  # a Saturday each week over the horizon (18 months by default)
    assert all(timezone.localtime(start).weekday() == 5 for start in starts)
    assert all(timezone.localtime(start).hour == 9 for start in starts)


def test_regeneration_is_idempotent_and_keeps_uids(make_event):
    event = make_event(recurrence=recurrence.deserialize(WEEKLY, include_dtstart=False))
    uids = set(event.occurrences.values_list("uid", flat=True))
    assert sync_occurrences(event) == {"created": 0, "removed": 0, "cancelled": 0}
    assert set(event.occurrences.values_list("uid", flat=True)) == uids


def test_dropped_date_without_registration_is_deleted_with_one_is_cancelled(
    make_event, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(recurrence=recurrence.deserialize(WEEKLY, include_dtstart=False), capacity=10)
    first, second = event.occurrences.order_by("start")[:2]
    register(second.pk, name="Léa Martin", email="lea@example.org", places=2)
    mailoutbox.clear()
    event.recurrence = recurrence.deserialize(
        f"{WEEKLY}\nEXDATE:{timezone.localtime(first.start):%Y%m%d}T000000Z\n"
        f"EXDATE:{timezone.localtime(second.start):%Y%m%d}T000000Z",
        include_dtstart=False,
    )
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = sync_occurrences(event)
    assert result["removed"] == 1 and result["cancelled"] == 1
    assert not Occurrence.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.status == Occurrence.CANCELLED
    assert [message.to for message in mailoutbox] == [["lea@example.org"]]
    assert "annulée" in mailoutbox[0].subject


def test_past_occurrences_are_never_touched(make_event):
    event = make_event(first_date=timezone.localdate() + datetime.timedelta(days=2))
    occurrence = event.occurrences.get()
    past = timezone.now() - datetime.timedelta(days=10)
    Occurrence.objects.filter(pk=occurrence.pk).update(start=past, end=past + datetime.timedelta(hours=2))
    sync_occurrences(event)
    assert Occurrence.objects.filter(pk=occurrence.pk, start=past).exists()


def test_changing_duration_updates_future_ends(make_event):
    event = make_event(duration_minutes=60)
    event.duration_minutes = 90
    event.save()
    sync_occurrences(event)
    occurrence = event.occurrences.get()
    assert occurrence.end - occurrence.start == datetime.timedelta(minutes=90)


def test_registration_window(make_occurrence):
    occurrence = make_occurrence(days=10, registration_opens_days=5, registration_closes_hours=24)
    now = timezone.now()
    assert occurrence.registration_state(now) == "not_open"
    assert occurrence.registration_state(occurrence.start - datetime.timedelta(days=2)) == "open"
    assert occurrence.registration_state(occurrence.start - datetime.timedelta(hours=3)) == "closed"
    assert occurrence.registration_state(occurrence.start + datetime.timedelta(minutes=1)) == "past"


def test_capacity_override_and_seats_left(occurrence):
    occurrence.confirmed_places = 3
    assert (occurrence.capacity, occurrence.seats_left) == (5, 2)
    occurrence.capacity_override = 2
    assert occurrence.seats_left == 0 and occurrence.is_full
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("kind", ["atelier", "balade"])
def test_event_page_renders(client, make_event, kind):
    event = make_event(kind=kind, title="Découverte des mares")
    response = client.get(event.url)
    assert response.status_code == 200
    assert "Découverte des mares" in response.content.decode()


@pytest.mark.django_db
def test_first_per_day_counts_local_days_across_a_time_change(event):
    """October 2026: Paris leaves summer time on the 25th. Late evening dates belong to their local day."""
    from ateliers.recurrences import PARIS

    first, next_month = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    template = event.occurrences.get()
    starts = [datetime.datetime(2026, 10, 24, 23, 30), datetime.datetime(2026, 10, 25, 0, 15),
              datetime.datetime(2026, 10, 25, 23, 45), *(datetime.datetime(2026, 10, 26, hour) for hour in (9, 10, 11, 12)),
              datetime.datetime(2026, 10, 31, 23, 59)]
    Occurrence.objects.bulk_create([
        Occurrence(event=event, start=start.replace(tzinfo=PARIS), end=start.replace(tzinfo=PARIS) + datetime.timedelta(minutes=30),
                   uid=f"00000000-0000-0000-0000-{number:012d}")
        for number, start in enumerate(starts)
    ])
    template.delete()
    rows = (Occurrence.objects.filter(event=event).in_dates(first, next_month).first_per_day(3, first, next_month)
            .values_list("start", "day_total"))
    by_day = {}
    for start, total in rows:
        by_day.setdefault(start.astimezone(PARIS).day, []).append(total)
    assert by_day == {24: [1], 25: [2, 2], 26: [4, 4, 4], 31: [1]}
