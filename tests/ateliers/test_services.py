import datetime

import pytest
import recurrence
from django.utils import timezone
from icalendar import Calendar

from ateliers import services
from ateliers.ical import registration_ics
from ateliers.models import Occurrence, OutgoingEmail, Registration
from ateliers.services import RegistrationError, register

from .conftest import reload


def sign_up(occurrence, email, places=1, **kwargs):
    return register(occurrence.pk, name=email.split("@")[0].title(), email=email, places=places, **kwargs)


def test_register_confirms_and_counts_places(occurrence):
    registration = sign_up(occurrence, "ana@example.org", places=2, phone="06 12 34 56 78")
    assert registration.status == Registration.CONFIRMED
    occurrence = reload(occurrence)
    assert (occurrence.confirmed_places, occurrence.seats_left) == (2, 3)
    assert OutgoingEmail.objects.get().kind == "confirmation"


def test_full_without_waiting_list_is_refused_with_seats_left(occurrence):
    sign_up(occurrence, "a@example.org", places=4)
    with pytest.raises(RegistrationError) as error:
        sign_up(occurrence, "b@example.org", places=2)
    assert error.value.code == "full"
    assert "Il ne reste qu'1 place" in error.value.message
    assert Registration.objects.count() == 1


def test_full_with_waiting_list_waits(occurrence):
    sign_up(occurrence, "a@example.org", places=4)
    waiting = sign_up(occurrence, "b@example.org", places=2, wants_waiting_list=True)
    assert waiting.status == Registration.WAITING
    assert reload(occurrence).waiting_places == 2


@pytest.mark.parametrize(
    ("places", "code"), [(0, "invalid_places"), (-2, "invalid_places"), (5, "too_many_places")]
)
def test_places_bounds(occurrence, places, code):
    with pytest.raises(RegistrationError) as error:
        sign_up(occurrence, "a@example.org", places=places)
    assert error.value.code == code


def test_invalid_email(occurrence):
    with pytest.raises(RegistrationError) as error:
        sign_up(occurrence, "pas-une-adresse", places=1)
    assert error.value.code == "invalid_email"


def test_same_email_twice_is_a_duplicate_case_insensitive(occurrence):
    first = sign_up(occurrence, "ana@example.org")
    with pytest.raises(RegistrationError) as error:
        sign_up(occurrence, "ANA@example.org")
    assert error.value.code == "duplicate" and error.value.registration == first


def test_window_cancelled_and_past(make_occurrence):
    not_open = make_occurrence(days=30, registration_opens_days=7)
    with pytest.raises(RegistrationError) as error:
        sign_up(not_open, "a@example.org")
    assert error.value.code == "not_open" and "ouvriront le" in error.value.message

    closing = make_occurrence(days=1, registration_closes_hours=0)
    Occurrence.objects.filter(pk=closing.pk).update(start=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(RegistrationError) as error:
        sign_up(closing, "a@example.org")
    assert error.value.code == "past"

    cancelled = make_occurrence(days=10)
    services.cancel_occurrence(cancelled.pk, "Pluie")
    with pytest.raises(RegistrationError) as error:
        sign_up(cancelled, "a@example.org")
    assert error.value.code == "cancelled"


def test_cancellation_promotes_in_order_and_emails(occurrence):
    first = sign_up(occurrence, "a@example.org", places=4)
    sign_up(occurrence, "b@example.org", places=1)
    waiting_1 = sign_up(occurrence, "c@example.org", places=1, wants_waiting_list=True)
    waiting_2 = sign_up(occurrence, "d@example.org", places=1, wants_waiting_list=True)
    services.cancel_registration(first.pk)
    assert Registration.objects.get(pk=waiting_1.pk).status == Registration.CONFIRMED
    assert Registration.objects.get(pk=waiting_2.pk).status == Registration.CONFIRMED
    assert reload(occurrence).confirmed_places == 3
    kinds = list(OutgoingEmail.objects.filter(registration__in=[waiting_1, waiting_2]).values_list("kind", flat=True))
    assert sorted(kinds) == ["promotion", "promotion", "waiting", "waiting"]


def test_group_that_does_not_fit_lets_smaller_pass_at_most_max_skips(make_occurrence):
    occurrence = make_occurrence(capacity=4)
    holders = [sign_up(occurrence, f"h{i}@example.org") for i in range(4)]
    group = sign_up(occurrence, "groupe@example.org", places=3, wants_waiting_list=True)
    singles = [sign_up(occurrence, f"s{i}@example.org", wants_waiting_list=True) for i in range(5)]
    # Each freed place goes to the next single, passing the group, up to MAX_SKIPS times.
    for holder in holders[: services.MAX_SKIPS]:
        services.cancel_registration(holder.pk)
    assert Registration.objects.get(pk=group.pk).skipped_count == services.MAX_SKIPS
    assert [Registration.objects.get(pk=s.pk).status for s in singles[:3]] == [Registration.CONFIRMED] * 3
    # Now the group has priority: the next freed place is kept for it, nobody passes any more.
    services.cancel_registration(holders[3].pk)
    assert Registration.objects.get(pk=singles[3].pk).status == Registration.WAITING
    late = sign_up(occurrence, "late@example.org", wants_waiting_list=True)
    assert late.status == Registration.WAITING
    for single in singles[:2]:
        services.cancel_registration(single.pk)
    assert Registration.objects.get(pk=group.pk).status == Registration.CONFIRMED
    assert reload(occurrence).confirmed_places <= 4


def test_capacity_increase_and_removal_promote(occurrence):
    sign_up(occurrence, "a@example.org", places=4)
    holder = sign_up(occurrence, "b@example.org", places=1)
    waiting = sign_up(occurrence, "c@example.org", places=2, wants_waiting_list=True)
    promoted = services.change_capacity(occurrence.pk, 6)
    assert [r.pk for r in promoted] == []  # 6 - 5 = 1 place: the group of 2 still waits
    promoted = services.remove_registration(holder.pk)
    assert [r.pk for r in promoted] == [waiting.pk]
    holder.refresh_from_db()
    assert holder.status == Registration.CANCELLED and holder.cancelled_by_organiser


def test_cancel_after_start_is_refused(occurrence):
    registration = sign_up(occurrence, "a@example.org")
    Occurrence.objects.filter(pk=occurrence.pk).update(start=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(RegistrationError) as error:
        services.cancel_registration(registration.pk)
    assert error.value.code == "too_late"
    with pytest.raises(RegistrationError) as error:
        services.cancel_registration(registration.pk)
    assert error.value.code == "too_late"


def test_cancel_occurrence_notifies_active_registrants(occurrence, django_capture_on_commit_callbacks):
    sign_up(occurrence, "a@example.org", places=4)
    sign_up(occurrence, "b@example.org", places=2, wants_waiting_list=True)
    with django_capture_on_commit_callbacks(execute=True):
        notified = services.cancel_occurrence(occurrence.pk, "Alerte orage")
    assert len(notified) == 2
    assert OutgoingEmail.objects.filter(kind="occurrence_cancelled").count() == 2
    assert "Alerte orage" in OutgoingEmail.objects.filter(kind="occurrence_cancelled").first().body_text
    with pytest.raises(RegistrationError):
        services.cancel_occurrence(occurrence.pk)


def test_organiser_can_add_outside_the_window_but_not_beyond_capacity(make_occurrence):
    occurrence = make_occurrence(days=30, registration_opens_days=7, capacity=1)
    added = register(occurrence.pk, name="Élu", email="elu@example.org", places=1, by_organiser=True)
    assert added.status == Registration.CONFIRMED
    extra = register(occurrence.pk, name="Autre", email="autre@example.org", places=1, by_organiser=True)
    assert extra.status == Registration.WAITING


def test_reminders_are_sent_once(make_occurrence):
    soon = make_occurrence(days=1)
    later = make_occurrence(days=10)
    sign_up(soon, "a@example.org")
    sign_up(later, "b@example.org")
    assert services.queue_reminders() == 1
    assert services.queue_reminders() == 0
    assert OutgoingEmail.objects.filter(kind="reminder").count() == 1


def test_purge_anonymises_old_registrations_and_keeps_counts(make_occurrence, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    old = make_occurrence(days=3)
    recent = make_occurrence(days=4)
    sign_up(old, "a@example.org", places=3)
    sign_up(recent, "b@example.org")
    past = timezone.now() - datetime.timedelta(days=40)
    Occurrence.objects.filter(pk=old.pk).update(start=past, end=past + datetime.timedelta(hours=2))
    result = services.purge_personal_data()
    assert result["anonymised"] == 1
    purged = Registration.objects.get(occurrence=old)
    assert (purged.name, purged.email, purged.phone, purged.access_key) == ("", "", "", "")
    assert purged.places == 3 and reload(old).confirmed_places == 3
    assert Registration.objects.get(occurrence=recent).email == "b@example.org"
    assert not OutgoingEmail.objects.filter(to="a@example.org").exists()
    assert services.purge_personal_data()["anonymised"] == 0


def test_raising_the_event_capacity_on_publish_promotes_with_the_email(
    make_occurrence, django_capture_on_commit_callbacks, mailoutbox
):
    occurrence = make_occurrence(capacity=1)
    sign_up(occurrence, "a@example.org")
    waiting = sign_up(occurrence, "b@example.org", wants_waiting_list=True)
    event = occurrence.event
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert Registration.objects.get(pk=waiting.pk).status == Registration.CONFIRMED
    assert reload(occurrence).confirmed_places == 2
    assert OutgoingEmail.objects.filter(registration=waiting, kind="promotion").count() == 1
    assert [message.to for message in mailoutbox if "b@example.org" in message.to]


def test_raising_an_occurrence_capacity_promotes_in_order_with_the_email(
    make_occurrence, django_capture_on_commit_callbacks
):
    occurrence = make_occurrence(capacity=2)
    sign_up(occurrence, "a@example.org", places=2)
    first = sign_up(occurrence, "b@example.org", wants_waiting_list=True)
    second = sign_up(occurrence, "c@example.org", wants_waiting_list=True)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.change_capacity(occurrence.pk, 3)
    assert [r.pk for r in promoted] == [first.pk]
    assert Registration.objects.get(pk=second.pk).status == Registration.WAITING
    assert OutgoingEmail.objects.filter(registration=first, kind="promotion").count() == 1


def test_changing_the_start_time_moves_the_dates_and_keeps_their_registrations(
    make_event, client, django_capture_on_commit_callbacks, mailoutbox
):
    weekly = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=3", include_dtstart=False)
    event = make_event(recurrence=weekly, start_time=datetime.time(10), capacity=2)
    ids = list(event.occurrences.order_by("start").values_list("pk", flat=True))
    target = event.occurrences.order_by("start")[1]
    lea = sign_up(target, "lea@example.org", places=2)
    max_ = sign_up(target, "max@example.org", wants_waiting_list=True)
    before = Calendar.from_ical(registration_ics(lea)).walk("VEVENT")[0]
    mailoutbox.clear()
    event.start_time = datetime.time(14, 30)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    assert list(event.occurrences.order_by("start").values_list("pk", flat=True)) == ids
    target = reload(target)
    assert timezone.localtime(target.start).time() == datetime.time(14, 30)
    assert target.end - target.start == event.duration
    assert (target.status, target.sequence, target.confirmed_places) == (Occurrence.SCHEDULED, 1, 2)
    assert Registration.objects.get(pk=lea.pk).status == Registration.CONFIRMED
    assert Registration.objects.get(pk=max_.pk).status == Registration.WAITING
    assert sorted(message.to[0] for message in mailoutbox) == ["lea@example.org", "max@example.org"]
    change = next(message for message in mailoutbox if message.to == ["lea@example.org"])
    assert "Changement d'horaire" in change.subject and "14h30" in change.body
    calendar = Calendar.from_ical(change.attachments[0][1])
    after = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(after["UID"]) == str(before["UID"]) == target.ical_uid
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["DTSTART"].dt == target.start
    waiting_change = next(message for message in mailoutbox if message.to == ["max@example.org"])
    assert not waiting_change.attachments  # no calendar entry for a place not yet given
    feed = Calendar.from_ical(client.get(f"{event.url}agenda.ics").content)
    assert {str(item["UID"]): item["SEQUENCE"] for item in feed.walk("VEVENT")}[target.ical_uid] == 1


def test_an_unchanged_publication_moves_nothing_and_sends_nothing(make_event, django_capture_on_commit_callbacks):
    event = make_event(recurrence=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=2", include_dtstart=False))
    sign_up(event.occurrences.first(), "lea@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert set(event.occurrences.values_list("sequence", flat=True)) == {0}
    assert not OutgoingEmail.objects.filter(kind="schedule_changed").exists()


def test_counts_are_recounted_from_the_rows_not_incremented(make_occurrence):
    occurrence = make_occurrence(capacity=5, waiting_list_enabled=True)
    sign_up(occurrence, "a@example.org", places=2)
    # Stored counters gone wrong (a crash, a manual edit): the next registration stores the real counts.
    Occurrence.objects.filter(pk=occurrence.pk).update(confirmed_places=0, waiting_places=9)
    registration = sign_up(occurrence, "b@example.org", places=3)
    assert registration.status == Registration.CONFIRMED
    assert (registration.occurrence.confirmed_places, registration.occurrence.waiting_places) == (5, 0)
    sign_up(occurrence, "c@example.org", places=2, wants_waiting_list=True)
    stored = reload(occurrence)
    assert (stored.confirmed_places, stored.waiting_places, stored.seats_left) == (5, 2, 0)


def test_the_form_passes_the_event_it_read_and_gets_the_same_rules(make_occurrence):
    occurrence = make_occurrence(capacity=5, max_places_per_registration=2)
    event = occurrence.event
    with pytest.raises(RegistrationError) as error:
        register(occurrence.pk, name="A", email="a@example.org", places=3, event=event)
    assert error.value.code == "too_many_places"
    assert register(occurrence.pk, name="A", email="a@example.org", places=2, event=event).status == "confirmed"
    with pytest.raises(RegistrationError) as error:  # an event that is not this date's
        register(occurrence.pk, name="B", email="b@example.org", places=1, event=make_occurrence().event)
    assert error.value.code == "unknown_occurrence"
