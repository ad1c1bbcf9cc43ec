"""Many borrowers reserving the last unit at the same instant: exactly one wins, nothing half-written."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone
from wagtail.models import Page

from ateliers.models import OutgoingEmail
from prets import services
from prets.models import Borrower, LendingCatalogPage, LendingPoint, Loan, OpeningHours, ThingPage, Unit

THREADS = 12


@pytest.fixture
def committed_unit(django_db_setup, django_db_blocker):
    """A committed thing with one unit and borrowers that other connections (threads) can see."""
    with django_db_blocker.unblock():
        tag = uuid.uuid4().hex[:8]
        point = LendingPoint.objects.create(name=f"Point {tag}")
        for weekday in range(7):
            OpeningHours.objects.create(point=point, weekday=weekday, opens=datetime.time(9), closes=datetime.time(18))
        catalogue = LendingCatalogPage(title="Catalogue", slug=f"catalogue-{tag}")
        Page.get_first_root_node().add_child(instance=catalogue)
        thing = ThingPage(title="Dernière grelinette", slug="grelinette", category="outils")
        catalogue.add_child(instance=thing)
        Unit.objects.create(thing=thing, lending_point=point, code=f"u-{tag}")
        borrowers = [Borrower.objects.create(name=f"P{index}", email=f"p{index}-{tag}@example.org",
                                             consent_at=timezone.now()) for index in range(THREADS)]
        try:
            yield thing, point, borrowers
        finally:
            OutgoingEmail.objects.filter(to__endswith=f"-{tag}@example.org").delete()
            Loan.objects.filter(thing=thing).delete()
            Unit.objects.filter(thing=thing).delete()
            Borrower.objects.filter(pk__in=[borrower.pk for borrower in borrowers]).delete()
            Page.objects.get(pk=catalogue.pk).delete()
            point.delete()


def _rush(thing, point, borrowers):
    barrier = threading.Barrier(len(borrowers))
    outcomes, errors, lock = [], [], threading.Lock()
    start = timezone.localdate() + datetime.timedelta(days=2)

    def worker(borrower):
        try:
            barrier.wait(timeout=30)
            try:
                services.reserve(borrower.pk, thing.pk, point.pk, start, start + datetime.timedelta(days=3))
                outcome = "won"
            except services.LendingError as error:
                outcome = error.code
            with lock:
                outcomes.append(outcome)
        except Exception as error:  # noqa: BLE001 — any error fails the test below
            with lock:
                errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(borrower,)) for borrower in borrowers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes, errors


def _check(thing, point, borrowers):
    outcomes, errors = _rush(thing, point, borrowers)
    assert errors == []
    assert sorted(outcomes) == ["none_free"] * (len(borrowers) - 1) + ["won"]
    assert Loan.objects.filter(thing=thing).count() == 1
    assert OutgoingEmail.objects.filter(kind="prets_reserved", to__in=[b.email for b in borrowers]).count() == 1


def test_last_unit_rush_on_sqlite(committed_unit, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip("variante SQLite")
    with django_db_blocker.unblock():
        _check(*committed_unit)


@pytest.mark.postgresql
def test_last_unit_rush_on_postgresql(committed_unit, django_db_blocker):
    with django_db_blocker.unblock():
        _check(*committed_unit)


@pytest.mark.postgresql
def test_postgresql_refuses_overlapping_active_loans(committed_unit, django_db_blocker):
    from django.db import IntegrityError, transaction

    thing, point, borrowers = committed_unit
    with django_db_blocker.unblock():
        unit = thing.units.get()
        start = timezone.localdate() + datetime.timedelta(days=2)
        Loan.objects.create(unit=unit, thing=thing, lending_point=point, borrower=borrowers[0], start_date=start,
                            due_date=start + datetime.timedelta(days=3))
        with pytest.raises(IntegrityError), transaction.atomic():
            Loan.objects.create(unit=unit, thing=thing, lending_point=point, borrower=borrowers[1],
                                start_date=start + datetime.timedelta(days=1), due_date=start + datetime.timedelta(days=5))
