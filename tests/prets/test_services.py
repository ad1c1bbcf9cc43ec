"""The lending rules: dates, conflicts, limits, queue and offers, renewals, notices, training gate."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from ateliers.models import OutgoingEmail
from prets import services
from prets.choices import (
    HOLD_EXPIRED, HOLD_FULFILLED, HOLD_OFFERED, HOLD_WAITING, LOAN_CANCELLED, LOAN_OUT, LOAN_RESERVED, LOAN_RETURNED,
    UNIT_MAINTENANCE,
)
from prets.models import Hold, Loan, Unit

from .conftest import open_day

DAY = datetime.timedelta(days=1)


def _reserve(borrower, thing, point, start, days=3, today=None):
    return services.reserve(borrower.pk, thing.pk, point.pk, start, start + days * DAY, today=today)


def _monday(today):
    return today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)


def test_reserve_then_conflict_on_the_last_unit(thing, point, borrower, make_borrower, today):
    start = _monday(today)
    loan = _reserve(borrower, thing, point, start)
    assert loan.status == LOAN_RESERVED and loan.unit.thing_id == thing.pk
    other = make_borrower()
    with pytest.raises(services.LendingError) as error:
        _reserve(other, thing, point, start + DAY)
    assert error.value.code == "none_free"
    assert "file d'attente" in error.value.message
    # After the first range, the unit is free again.
    assert _reserve(other, thing, point, start + 7 * DAY).unit_id == loan.unit_id
    assert OutgoingEmail.objects.filter(kind="prets_reserved").count() == 2


@pytest.mark.parametrize(
    ("shift_start", "shift_end", "code"),
    [(-1, 2, "past"), (3, 1, "end_before_start"), (1, 40, "too_long")],
)
def test_bad_dates_are_refused_without_a_row(thing, point, borrower, today, shift_start, shift_end, code):
    with pytest.raises(services.LendingError) as error:
        services.reserve(borrower.pk, thing.pk, point.pk, today + shift_start * DAY, today + shift_end * DAY)
    assert error.value.code == code
    assert not Loan.objects.exists()


def test_a_date_outside_opening_days_is_refused(thing, point, borrower, today):
    sunday = today + datetime.timedelta(days=(6 - today.weekday()) % 7 or 7)
    with pytest.raises(services.LendingError) as error:
        services.reserve(borrower.pk, thing.pk, point.pk, sunday, sunday + 2 * DAY)
    assert error.value.code == "closed_day"
    assert "fermé le" in error.value.message and "lundi 10:00–18:00" in error.value.message
    assert not Loan.objects.exists()


def test_limit_of_active_loans(make_thing, point, borrower, today, settings):
    settings.PRETS_MAX_ACTIVE_LOANS = 2
    start = _monday(today)
    for index in range(2):
        _reserve(borrower, make_thing(f"Objet {index}"), point, start)
    with pytest.raises(services.LendingError) as error:
        _reserve(borrower, make_thing("Objet de trop"), point, start)
    assert error.value.code == "limit"
    assert Loan.objects.count() == 2


def test_no_new_loan_while_one_is_overdue(make_thing, point, borrower, today):
    late = make_thing("Bêche")
    unit = late.units.get()
    Loan.objects.create(unit=unit, thing=late, lending_point=point, borrower=borrower, status=LOAN_OUT,
                        start_date=today - 20 * DAY, due_date=today - 2 * DAY)
    with pytest.raises(services.LendingError) as error:
        _reserve(borrower, make_thing("Jumelles"), point, _monday(today))
    assert error.value.code == "overdue"
    assert "Bêche" in error.value.message
    with pytest.raises(services.LendingError):
        services.join_queue(borrower.pk, late.pk)


def test_unit_in_maintenance_is_not_reservable_nor_lent(thing, point, borrower, today):
    unit = thing.units.get()
    services.set_maintenance(unit.pk, True)
    with pytest.raises(services.LendingError) as error:
        _reserve(borrower, thing, point, _monday(today))
    assert error.value.code == "maintenance"
    with pytest.raises(services.LendingError) as error:
        services.lend_now(borrower.pk, unit.pk)
    assert error.value.code == "maintenance"
    assert not Loan.objects.exists()


def test_database_refuses_a_unit_out_twice(thing, point, borrower, make_borrower, today):
    unit = thing.units.get()
    Loan.objects.create(unit=unit, thing=thing, lending_point=point, borrower=borrower, status=LOAN_OUT,
                        start_date=today, due_date=today + DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(unit=unit, thing=thing, lending_point=point, borrower=make_borrower(), status=LOAN_OUT,
                            start_date=today + 10 * DAY, due_date=today + 11 * DAY)


def test_check_out_and_check_in_offer_the_unit_to_the_queue(thing, point, borrower, make_borrower, today):
    loan = services.lend_now(borrower.pk, thing.units.get().pk, today=today)
    assert loan.status == LOAN_OUT
    first, second = make_borrower("Première"), make_borrower("Seconde")
    hold1 = services.join_queue(first.pk, thing.pk)
    hold2 = services.join_queue(second.pk, thing.pk)
    assert (hold1.position(), hold2.position()) == (1, 2)
    with pytest.raises(services.LendingError) as error:
        services.join_queue(first.pk, thing.pk)
    assert error.value.code == "already_waiting"
    # Nobody jumps the queue.
    with pytest.raises(services.LendingError) as error:
        _reserve(make_borrower(), thing, point, _monday(today) + 28 * DAY)
    assert error.value.code == "queue"

    services.check_in(loan.pk, condition="use", to_maintenance=False, today=today)
    hold1.refresh_from_db()
    hold2.refresh_from_db()
    assert hold1.status == HOLD_OFFERED and hold2.position() == 1
    offer = hold1.loan
    assert offer.status == LOAN_RESERVED and offer.collect_by is not None and offer.borrower == first
    assert Unit.objects.get(pk=offer.unit_id).condition == "use"
    assert OutgoingEmail.objects.filter(kind="prets_offer", to=first.email).count() == 1

    # Not collected in time: it goes to the next person.
    services.send_notices(today=offer.collect_by + DAY)
    hold1.refresh_from_db()
    hold2.refresh_from_db()
    assert hold1.status == HOLD_EXPIRED
    assert Loan.objects.get(pk=offer.pk).status == LOAN_CANCELLED
    assert hold2.status == HOLD_OFFERED
    services.check_out(hold2.loan.pk, today=hold2.loan.start_date)
    hold2.refresh_from_db()
    assert hold2.status == HOLD_FULFILLED


def test_check_in_to_maintenance_keeps_the_queue_waiting(thing, point, borrower, make_borrower, today):
    loan = services.lend_now(borrower.pk, thing.units.get().pk, today=today)
    hold = services.join_queue(make_borrower().pk, thing.pk)
    services.check_in(loan.pk, condition="abime", to_maintenance=True, today=today)
    hold.refresh_from_db()
    assert hold.status == HOLD_WAITING
    assert Unit.objects.get(pk=loan.unit_id).status == UNIT_MAINTENANCE
    services.set_maintenance(loan.unit_id, False, today=today)
    hold.refresh_from_db()
    assert hold.status == HOLD_OFFERED


def test_renew_once_and_only_when_nobody_waits(thing, point, borrower, make_borrower, today):
    loan = services.lend_now(borrower.pk, thing.units.get().pk, today=today)
    due = loan.due_date
    renewed = services.renew(loan.pk, borrower.pk, today=today)
    assert renewed.due_date > due and renewed.renewals == 1
    with pytest.raises(services.LendingError) as error:
        services.renew(loan.pk, borrower.pk, today=today)
    assert error.value.code == "renewed"

    other = make_borrower()
    second = services.lend_now(other.pk, thing.units.create(lending_point=point, code="second").pk, today=today)
    services.join_queue(make_borrower().pk, thing.pk)
    with pytest.raises(services.LendingError) as error:
        services.renew(second.pk, other.pk, today=today)
    assert error.value.code == "waited_for"


def test_notices_are_sent_once(thing, point, borrower, today):
    loan = services.lend_now(borrower.pk, thing.units.get().pk, today=today)
    # Two days before the due date: a reminder, once.
    counts = services.send_notices(today=loan.due_date - 2 * DAY)
    assert counts["reminders"] == 1
    assert services.send_notices(today=loan.due_date - 2 * DAY)["reminders"] == 0
    assert services.send_notices(today=loan.due_date - DAY)["reminders"] == 0
    # D+1 then D+7, each once.
    assert services.send_notices(today=loan.due_date + DAY)["overdue"] == 1
    assert services.send_notices(today=loan.due_date + 2 * DAY)["overdue"] == 0
    assert services.send_notices(today=loan.due_date + 7 * DAY)["overdue"] == 1
    assert services.send_notices(today=loan.due_date + 8 * DAY)["overdue"] == 0
    kinds = list(OutgoingEmail.objects.filter(to=borrower.email).values_list("kind", flat=True))
    assert sorted(kinds) == ["prets_overdue", "prets_overdue", "prets_reminder"]


def test_training_gated_thing(make_thing, point, borrower, today):
    from wagtail.models import Page

    from ateliers.models import EventPage, Registration
    from ateliers.services import register, sync_occurrences

    event = EventPage(title="Utiliser une débroussailleuse en sécurité", slug="debroussailleuse-securite",
                      place_name="Grange", first_date=today + 3 * DAY, capacity=8, registration_opens_days=None)
    Page.get_first_root_node().add_child(instance=event)
    sync_occurrences(event)
    gated = make_thing("Débroussailleuse", required_training=event)
    with pytest.raises(services.LendingError) as error:
        _reserve(borrower, gated, point, _monday(today))
    assert error.value.code == "training_required"
    assert "Utiliser une débroussailleuse" in error.value.message
    registration = register(event.occurrences.get().pk, name=borrower.name, email=borrower.email.upper(), places=1)
    with pytest.raises(services.LendingError):
        _reserve(borrower, gated, point, _monday(today))
    Registration.objects.filter(pk=registration.pk).update(attended=True)
    assert _reserve(borrower, gated, point, _monday(today)).status == LOAN_RESERVED


def test_cancel_reservation_and_leave_queue(thing, point, borrower, make_borrower, today):
    loan = _reserve(borrower, thing, point, _monday(today))
    other = make_borrower()
    with pytest.raises(services.LendingError):
        services.cancel_reservation(loan.pk, other.pk)  # not theirs
    services.cancel_reservation(loan.pk, borrower.pk)
    assert Loan.objects.get(pk=loan.pk).status == LOAN_CANCELLED
    hold = services.join_queue(other.pk, thing.pk)
    services.leave_queue(hold.pk, other.pk)
    assert Hold.objects.get(pk=hold.pk).status == "cancelled"


def test_signup_validates_and_never_duplicates(db):
    with pytest.raises(services.LendingError) as error:
        services.signup("Camille", "pas-une-adresse", consent=True)
    assert error.value.code == "invalid_email"
    with pytest.raises(services.LendingError) as error:
        services.signup("Camille", "c@example.org", consent=False)
    assert error.value.code == "no_consent"
    first = services.signup("Camille", "C@example.org", consent=True)
    again = services.signup("Autre nom", "c@example.org", consent=True)
    assert first.pk == again.pk and again.name == "Camille"
    assert OutgoingEmail.objects.filter(kind="prets_signup", to="c@example.org").count() == 2


def test_purge_deletes_inactive_borrowers_and_keeps_loans(thing, point, make_borrower, today):
    from django.utils import timezone

    idle = make_borrower()
    busy = make_borrower()
    loan = services.lend_now(idle.pk, thing.units.get().pk, today=today)
    services.check_in(loan.pk, today=today)
    old = timezone.now() - datetime.timedelta(days=400)
    type(idle).objects.filter(pk__in=[idle.pk, busy.pk]).update(last_activity_at=old)
    Loan.objects.create(unit=thing.units.get(), thing=thing, lending_point=point, borrower=busy,
                        start_date=today + 30 * DAY, due_date=today + 31 * DAY)
    result = services.purge_personal_data(days=365)
    assert result == {"borrowers_deleted": 1}
    assert not type(idle).objects.filter(pk=idle.pk).exists()
    assert type(busy).objects.filter(pk=busy.pk).exists()
    assert Loan.objects.get(pk=loan.pk).borrower is None and Loan.objects.get(pk=loan.pk).status == LOAN_RETURNED


def test_seed_movements(home_page):
    from prets.models import SeedLibraryPage, SeedVarietyPage

    library = SeedLibraryPage(title="Grainothèque", slug="grainotheque")
    home_page.add_child(instance=library)
    variety = SeedVarietyPage(title="Souci", slug="souci", sowing_months=[3, 4])
    library.add_child(instance=variety)
    services.record_seed_movement(variety.pk, "give", 5, "récoltée à Villeneuve")
    services.record_seed_movement(variety.pk, "take", 2)
    with pytest.raises(services.LendingError) as error:
        services.record_seed_movement(variety.pk, "take", 4)
    assert error.value.code == "not_enough" and "3 sachets" in error.value.message
    for bad in (0, 51, "3"):
        with pytest.raises(services.LendingError):
            services.record_seed_movement(variety.pk, "give", bad)
    assert SeedVarietyPage.objects.get(pk=variety.pk).packets_in_stock == 3
