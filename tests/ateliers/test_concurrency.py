"""Many people registering at the same second, for few places: never overbooked, nobody lost."""

import datetime
import random
import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone
from wagtail.models import Page

from ateliers.models import EventPage, Occurrence, OutgoingEmail, Registration
from ateliers.services import RegistrationError, cancel_registration, register, sync_occurrences

THREADS = 24
CAPACITY = 5


def _rush(occurrence_id, threads=THREADS):
    barrier = threading.Barrier(threads)
    outcomes, errors = [], []
    lock = threading.Lock()
    rng = random.Random(42)
    requests = [(index, rng.randint(1, 3), rng.random() < 0.5) for index in range(threads)]

    def worker(index, places, wants_waiting_list):
        try:
            barrier.wait(timeout=30)
            try:
                registration = register(
                    occurrence_id, name=f"Personne {index}", email=f"p{index}@example.org", places=places,
                    wants_waiting_list=wants_waiting_list,
                )
                outcome = registration.status
            except RegistrationError as error:
                outcome = f"refused:{error.code}"
            with lock:
                outcomes.append(outcome)
        except Exception as error:  # noqa: BLE001 — any error fails the test below
            with lock:
                errors.append(repr(error))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=request) for request in requests]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    return outcomes, errors


def _check(occurrence):
    outcomes, errors = _rush(occurrence.pk)
    assert errors == []
    assert len(outcomes) == THREADS
    assert all(outcome in ("confirmed", "waiting", "refused:full") for outcome in outcomes), outcomes
    occurrence = Occurrence.objects.get(pk=occurrence.pk)
    confirmed = sum(
        Registration.objects.filter(occurrence=occurrence, status=Registration.CONFIRMED).values_list(
            "places", flat=True
        )
    )
    assert 0 < confirmed <= CAPACITY
    assert occurrence.confirmed_places == confirmed
    assert Registration.objects.filter(occurrence=occurrence).count() == sum(
        1 for outcome in outcomes if not outcome.startswith("refused")
    )
    # Cancellations racing each other still promote without overbooking.
    confirmed_ids = list(
        Registration.objects.filter(occurrence=occurrence, status=Registration.CONFIRMED).values_list("pk", flat=True)
    )
    barrier = threading.Barrier(len(confirmed_ids))
    cancel_errors = []

    def cancel(pk):
        try:
            barrier.wait(timeout=30)
            cancel_registration(pk)
        except Exception as error:  # noqa: BLE001
            cancel_errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(pk,)) for pk in confirmed_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert cancel_errors == []
    occurrence.refresh_from_db()
    still_confirmed = sum(
        Registration.objects.filter(occurrence=occurrence, status=Registration.CONFIRMED).values_list(
            "places", flat=True
        )
    )
    assert still_confirmed == occurrence.confirmed_places <= CAPACITY


@pytest.fixture
def committed_occurrence(django_db_setup, django_db_blocker):
    """A committed occurrence that other connections (threads) can see, removed afterwards.

    Not django_db(transaction=True): its flush would also wipe the data seeded by migrations
    (Wagtail root page, themes) from the reused test database.
    """
    with django_db_blocker.unblock():
        event = EventPage(
            title="Ruée sur les places", slug=f"ruee-{uuid.uuid4().hex[:8]}", place_name="La Grange aux Savoirs",
            first_date=timezone.localdate() + datetime.timedelta(days=5), capacity=CAPACITY,
            max_places_per_registration=3, registration_opens_days=None,
        )
        Page.get_first_root_node().add_child(instance=event)
        sync_occurrences(event)
        try:
            yield event.occurrences.get()
        finally:
            OutgoingEmail.objects.filter(registration__occurrence__event=event).delete()
            Page.objects.get(pk=event.pk).delete()


def test_registration_rush_on_sqlite(committed_occurrence, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip("variante SQLite")
    with django_db_blocker.unblock():
        _check(committed_occurrence)


@pytest.mark.postgresql
def test_registration_rush_on_postgresql(committed_occurrence, django_db_blocker):
    with django_db_blocker.unblock():
        _check(committed_occurrence)
