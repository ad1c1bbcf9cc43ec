"""Lending rules. Each function is one transaction that locks the rows it counts (the borrower, the thing's
units), as the agenda's registration rules do; errors carry a machine-readable `code` and a French message.

A unit is never lent twice: the reservation check runs with the units locked, and the database refuses a
second "out" loan of one unit (a unique partial constraint; on PostgreSQL an exclusion constraint also
refuses overlapping active date ranges).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ateliers.mail import queue_message
from ateliers.models import OutgoingEmail, Registration
from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.sites import site_name

from .choices import (
    HOLD_CANCELLED, HOLD_EXPIRED, HOLD_FULFILLED, HOLD_OFFERED, HOLD_WAITING, LOAN_ACTIVE, LOAN_CANCELLED,
    LOAN_OUT, LOAN_RESERVED, LOAN_RETURNED, SEED_GIVE, SEED_TAKE, UNIT_AVAILABLE, UNIT_MAINTENANCE,
)
from .models import Borrower, Hold, LendingPoint, Loan, SeedMovement, SeedVarietyPage, ThingPage, Unit
from .tokens import space_url


def max_active_loans():
    return getattr(settings, "PRETS_MAX_ACTIVE_LOANS", 3)


def offer_days():
    return getattr(settings, "PRETS_OFFER_DAYS", 3)


def reminder_days():
    return getattr(settings, "PRETS_REMINDER_DAYS", 2)


def retention_days():
    return getattr(settings, "PRETS_RETENTION_DAYS", 365)


class LendingError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _date(day):
    return day.strftime("%d/%m/%Y")


# ---- e-mails (outbox) -------------------------------------------------------------------------------------

def _mail(kind, borrower, subject, dedupe_key=None, **context):
    """Queue a rendered e-mail inside the caller's transaction; with a dedupe_key, at most once ever."""
    if dedupe_key and OutgoingEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    context.update(borrower=borrower, site_name=site_name(), space_url=space_url(borrower, absolute=True))
    text = render_to_string(f"prets/emails/{kind}.txt", context)
    try:
        with transaction.atomic():
            return queue_message(f"prets_{kind}", borrower.email, subject, text, dedupe_key=dedupe_key)
    except IntegrityError:  # the same notice queued meanwhile by another run
        return None


# ---- borrowers -------------------------------------------------------------------------------------------

def signup(name, email, phone="", consent=False):
    """Create the borrower and e-mail their link; an address already known just gets its link again, so the
    answer never tells whether someone is registered."""
    name, email, phone = (name or "").strip(), (email or "").strip().lower(), (phone or "").strip()
    if not name:
        raise LendingError("invalid_name", _("Indiquez votre nom."))
    try:
        validate_email(email)
    except ValidationError:
        raise LendingError("invalid_email", _("Cette adresse e-mail n'est pas valide.")) from None
    if not consent:
        raise LendingError("no_consent", _("Votre accord est nécessaire pour conserver vos coordonnées."))
    with transaction.atomic():
        borrower = Borrower.objects.select_for_update().filter(email=email).first()
        if borrower is None:
            try:
                with transaction.atomic():
                    borrower = Borrower.objects.create(name=name, email=email, phone=phone,
                                                       consent_at=timezone.now())
            except IntegrityError:  # signed up at the same instant from two tabs
                borrower = Borrower.objects.get(email=email)
        _mail("signup", borrower, _("Votre espace emprunteur"))
        return borrower


def resend_link(email):
    email = (email or "").strip().lower()
    with transaction.atomic():
        borrower = Borrower.objects.filter(email=email).first()
        if borrower:
            _mail("signup", borrower, _("Votre espace emprunteur"))


def _locked_borrower(borrower_id):
    borrower = Borrower.objects.select_for_update().filter(pk=borrower_id).first()
    if borrower is None:
        raise LendingError("unknown_borrower", _("Cet emprunteur n'existe pas ou plus."))
    return borrower


def training_done(borrower, thing):
    """True when the thing needs no workshop, or the borrower attended a date of it (same e-mail)."""
    if not thing.required_training_id:
        return True
    return Registration.objects.filter(
        occurrence__event_id=thing.required_training_id, email__iexact=borrower.email, attended=True,
    ).exists()


def check_borrower(borrower, thing, today, counting_reservation=True):
    """Raise when this borrower may not take one more thing today."""
    overdue = borrower.overdue_loans(today).first()
    if overdue:
        raise LendingError("overdue", _("Un prêt est en retard (%(thing)s, à rendre le %(date)s) : rendez-le "
                                        "avant d'emprunter autre chose.")
                           % {"thing": overdue.thing.title, "date": _date(overdue.due_date)})
    if counting_reservation and borrower.active_loans().count() >= max_active_loans():
        raise LendingError("limit", ngettext(
            "Vous avez déjà %(count)d prêt ou réservation en cours : c'est le maximum.",
            "Vous avez déjà %(count)d prêts ou réservations en cours : c'est le maximum.",
            max_active_loans()) % {"count": max_active_loans()})
    if not training_done(borrower, thing):
        raise LendingError("training_required", _(
            "Cet objet demande d'avoir suivi l'atelier « %(workshop)s ». Inscrivez-vous à une prochaine date : "
            "il sera empruntable dès que votre présence aura été notée.") % {"workshop": thing.required_training.title})


# ---- dates -----------------------------------------------------------------------------------------------

def validate_dates(point, thing, start, end, today):
    if start is None or end is None:
        raise LendingError("missing_dates", _("Indiquez la date de retrait et la date de retour."))
    if start < today:
        raise LendingError("past", _("La date de retrait est passée."))
    if end < start:
        raise LendingError("end_before_start", _("La date de retour doit suivre la date de retrait."))
    if (end - start).days > thing.loan_days:
        raise LendingError("too_long", ngettext(
            "Cet objet se prête %(days)d jour au plus.", "Cet objet se prête %(days)d jours au plus.",
            thing.loan_days) % {"days": thing.loan_days})
    for label, day in ((_("retrait"), start), (_("retour"), end)):
        if not point.is_open_on(day):
            days = ", ".join(point.hours_display()) or _("aucun horaire publié")
            raise LendingError("closed_day", _(
                "%(point)s est fermé le %(date)s (jour de %(what)s). Jours d'ouverture : %(days)s.")
                % {"point": point.name, "date": _date(day), "what": label, "days": days})


def _due_date(point, start, days):
    """start + days, moved back to the last opening day (never before start)."""
    due = start + datetime.timedelta(days=days)
    while due > start and not point.is_open_on(due):
        due -= datetime.timedelta(days=1)
    return due


# ---- reservations, queue ---------------------------------------------------------------------------------

def _free_unit(units, start, end, exclude_loan=None):
    for unit in units:
        busy = unit.loans.overlapping(start, end)
        if exclude_loan is not None:
            busy = busy.exclude(pk=exclude_loan)
        if not busy.exists():
            return unit
    return None


def reserve(borrower_id, thing_id, point_id, start, end, today=None):
    """Reserve a free unit of the thing at this lending point for [start, end]; raise LendingError otherwise."""
    today = today or timezone.localdate()
    with transaction.atomic():
        borrower = _locked_borrower(borrower_id)
        thing = ThingPage.objects.live().filter(pk=thing_id).select_related("required_training").first()
        point = LendingPoint.objects.filter(pk=point_id).prefetch_related("opening_hours").first()
        if thing is None:
            raise LendingError("unknown_thing", _("Cet objet n'est plus au catalogue."))
        if point is None:
            raise LendingError("unknown_point", _("Choisissez un point de retrait."))
        validate_dates(point, thing, start, end, today)
        check_borrower(borrower, thing, today)
        units = list(Unit.objects.select_for_update().filter(thing=thing, lending_point=point).order_by("pk"))
        in_circulation = [unit for unit in units if unit.status == UNIT_AVAILABLE]
        if units and not in_circulation:
            raise LendingError("maintenance", _("Cet objet est en maintenance à ce point de prêt : il n'est pas "
                                                "réservable pour le moment."))
        if not units:
            raise LendingError("no_unit_here", _("Cet objet n'est pas disponible à ce point de prêt."))
        if thing.holds.filter(status__in=[HOLD_WAITING, HOLD_OFFERED]).exclude(borrower=borrower).exists():
            raise LendingError("queue", _("Des personnes attendent déjà cet objet : inscrivez-vous dans la file "
                                          "d'attente."))
        unit = _free_unit(in_circulation, start, end)
        if unit is None:
            raise LendingError("none_free", _("Aucun exemplaire n'est libre à ces dates. Choisissez d'autres dates "
                                              "ou inscrivez-vous dans la file d'attente."))
        loan = Loan.objects.create(unit=unit, thing=thing, lending_point=point, borrower=borrower,
                                   start_date=start, due_date=end)
        _touch(borrower)
        _mail("reserved", borrower, _("Réservation : %(thing)s") % {"thing": thing.title}, loan=loan)
        return loan


def _touch(borrower):
    Borrower.objects.filter(pk=borrower.pk).update(last_activity_at=timezone.now())


def join_queue(borrower_id, thing_id, today=None):
    today = today or timezone.localdate()
    with transaction.atomic():
        borrower = _locked_borrower(borrower_id)
        thing = ThingPage.objects.live().filter(pk=thing_id).first()
        if thing is None:
            raise LendingError("unknown_thing", _("Cet objet n'est plus au catalogue."))
        check_borrower(borrower, thing, today, counting_reservation=False)
        if thing.holds.filter(borrower=borrower, status__in=[HOLD_WAITING, HOLD_OFFERED]).exists():
            raise LendingError("already_waiting", _("Vous êtes déjà dans la file d'attente de cet objet."))
        if thing.loans.filter(borrower=borrower, status__in=LOAN_ACTIVE).exists():
            raise LendingError("already_has", _("Vous avez déjà cet objet en prêt ou en réservation."))
        hold = Hold.objects.create(thing=thing, borrower=borrower)
        _touch(borrower)
        return hold


def leave_queue(hold_id, borrower_id):
    with transaction.atomic():
        hold = Hold.objects.select_for_update().filter(pk=hold_id, borrower_id=borrower_id).first()
        if hold is None or hold.status not in (HOLD_WAITING, HOLD_OFFERED):
            raise LendingError("not_waiting", _("Cette demande n'est plus dans la file d'attente."))
        offered = hold.loan if hold.status == HOLD_OFFERED else None
        hold.status, hold.closed_at = HOLD_CANCELLED, timezone.now()
        hold.save(update_fields=["status", "closed_at"])
        if offered is not None and offered.status == LOAN_RESERVED:
            _cancel_loan(offered)
            offer_next(offered.unit_id)
        return hold


def cancel_reservation(loan_id, borrower_id):
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(pk=loan_id, borrower_id=borrower_id).first()
        if loan is None or loan.status != LOAN_RESERVED:
            raise LendingError("not_reserved", _("Cette réservation n'est plus annulable."))
        _cancel_loan(loan)
        hold = Hold.objects.filter(loan=loan, status=HOLD_OFFERED).first()
        if hold:
            hold.status, hold.closed_at = HOLD_CANCELLED, timezone.now()
            hold.save(update_fields=["status", "closed_at"])
        offer_next(loan.unit_id)
        return loan


def _cancel_loan(loan):
    loan.status = LOAN_CANCELLED
    loan.save(update_fields=["status"])


def offer_next(unit_id, today=None):
    """Offer this unit to the first person waiting for its thing (call inside a transaction). Returns the hold."""
    today = today or timezone.localdate()
    unit = Unit.objects.select_for_update().select_related("thing", "lending_point").get(pk=unit_id)
    if unit.status != UNIT_AVAILABLE:
        return None
    point, thing = unit.lending_point, unit.thing
    start = point.next_open_day(today)
    if start is None:
        return None
    end = _due_date(point, start, thing.loan_days)
    for hold in Hold.objects.select_for_update().filter(thing=thing, status=HOLD_WAITING).select_related("borrower"):
        if unit.loans.overlapping(start, end).exists():
            return None  # the unit is already promised to someone for these days
        try:
            check_borrower(hold.borrower, thing, today, counting_reservation=False)
        except LendingError:
            continue  # an overdue borrower keeps their place, the unit goes to the next one
        collect_by = point.next_open_day(today + datetime.timedelta(days=offer_days())) or start
        loan = Loan.objects.create(unit=unit, thing=thing, lending_point=point, borrower=hold.borrower,
                                   start_date=start, due_date=end, collect_by=min(max(collect_by, start), end))
        hold.status, hold.offered_at, hold.loan = HOLD_OFFERED, timezone.now(), loan
        hold.save(update_fields=["status", "offered_at", "loan"])
        _mail("offer", hold.borrower, _("Un exemplaire vous attend : %(thing)s") % {"thing": thing.title},
              loan=loan, dedupe_key=f"prets:offer:{loan.pk}")
        return hold
    return None


def expire_offers(today=None):
    """Offers not collected in time go to the next person in the queue."""
    today = today or timezone.localdate()
    expired = 0
    for loan_id in list(Loan.objects.filter(status=LOAN_RESERVED, collect_by__lt=today).values_list("pk", flat=True)):
        with transaction.atomic():
            loan = Loan.objects.select_for_update().get(pk=loan_id)
            if loan.status != LOAN_RESERVED:
                continue
            _cancel_loan(loan)
            Hold.objects.filter(loan=loan, status=HOLD_OFFERED).update(status=HOLD_EXPIRED, closed_at=timezone.now())
            offer_next(loan.unit_id, today)
            expired += 1
    return expired


# ---- desk ------------------------------------------------------------------------------------------------

def check_out(loan_id, today=None):
    """The borrower collects a reserved unit at the desk."""
    today = today or timezone.localdate()
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(pk=loan_id).first()
        if loan is None:
            raise LendingError("unknown_loan", _("Cette réservation n'existe pas."))
        unit = Unit.objects.select_for_update().get(pk=loan.unit_id)
        if loan.status != LOAN_RESERVED:
            raise LendingError("not_reserved", _("Cette réservation n'est plus en attente de retrait."))
        if unit.status != UNIT_AVAILABLE:
            raise LendingError("maintenance", _("L'exemplaire %(code)s est en maintenance : il ne peut pas sortir.")
                               % {"code": unit.code})
        if loan.borrower is None:
            raise LendingError("unknown_borrower", _("Cet emprunteur n'existe plus."))
        if loan.start_date > today:
            raise LendingError("too_early", _("Ce retrait est prévu le %(date)s.") % {"date": _date(loan.start_date)})
        if loan.due_date < today:
            raise LendingError("too_late", _("Cette réservation est échue depuis le %(date)s.")
                               % {"date": _date(loan.due_date)})
        check_borrower(loan.borrower, loan.thing, today, counting_reservation=False)
        loan.status, loan.checked_out_at = LOAN_OUT, timezone.now()
        try:
            with transaction.atomic():
                loan.save(update_fields=["status", "checked_out_at"])
        except IntegrityError:
            raise LendingError("already_out", _("Cet exemplaire est déjà en prêt.")) from None
        Hold.objects.filter(loan=loan, status=HOLD_OFFERED).update(status=HOLD_FULFILLED, closed_at=timezone.now())
        _touch(loan.borrower)
        return loan


def lend_now(borrower_id, unit_id, today=None):
    """At the desk, without a reservation: the unit leaves today for the thing's loan length."""
    today = today or timezone.localdate()
    with transaction.atomic():
        borrower = _locked_borrower(borrower_id)
        unit = Unit.objects.select_for_update().select_related("thing", "lending_point").filter(pk=unit_id).first()
        if unit is None:
            raise LendingError("unknown_unit", _("Cet exemplaire n'existe pas."))
        if unit.status != UNIT_AVAILABLE:
            raise LendingError("maintenance", _("L'exemplaire %(code)s est en maintenance : il ne peut pas sortir.")
                               % {"code": unit.code})
        check_borrower(borrower, unit.thing, today)
        end = _due_date(unit.lending_point, today, unit.thing.loan_days)
        if unit.loans.overlapping(today, end).exists():
            raise LendingError("none_free", _("Cet exemplaire est réservé ou en prêt pendant ces dates."))
        loan = Loan.objects.create(unit=unit, thing=unit.thing, lending_point=unit.lending_point, borrower=borrower,
                                   start_date=today, due_date=end)
    return check_out(loan.pk, today)


def check_in(loan_id, condition="", notes="", to_maintenance=False, today=None):
    """The unit comes back: record its condition, then offer it to the queue (unless it goes to maintenance)."""
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(pk=loan_id).first()
        if loan is None or loan.status != LOAN_OUT:
            raise LendingError("not_out", _("Ce prêt n'est pas en cours."))
        unit = Unit.objects.select_for_update().get(pk=loan.unit_id)
        loan.status, loan.returned_at = LOAN_RETURNED, timezone.now()
        loan.return_condition, loan.return_notes = condition or unit.condition, notes or ""
        loan.save(update_fields=["status", "returned_at", "return_condition", "return_notes"])
        if condition:
            unit.condition = condition
        if to_maintenance:
            unit.status = UNIT_MAINTENANCE
        unit.save(update_fields=["condition", "status"])
        if loan.borrower_id:
            _touch(loan.borrower)
        offer_next(unit.pk, today)
        return loan


def set_maintenance(unit_id, in_maintenance, today=None):
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        if in_maintenance and unit.loans.filter(status=LOAN_OUT).exists():
            raise LendingError("out", _("Cet exemplaire est en prêt : enregistrez d'abord son retour."))
        unit.status = UNIT_MAINTENANCE if in_maintenance else UNIT_AVAILABLE
        unit.save(update_fields=["status"])
        if not in_maintenance:
            offer_next(unit.pk, today)
        return unit


def renew(loan_id, borrower_id, today=None):
    """Once, when nobody waits for the thing and the unit is not reserved right after."""
    today = today or timezone.localdate()
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(pk=loan_id, borrower_id=borrower_id).first()
        if loan is None or loan.status != LOAN_OUT:
            raise LendingError("not_out", _("Ce prêt n'est pas en cours."))
        Unit.objects.select_for_update().get(pk=loan.unit_id)
        if loan.renewals >= 1:
            raise LendingError("renewed", _("Ce prêt a déjà été prolongé une fois."))
        if loan.due_date < today:
            raise LendingError("overdue", _("Ce prêt est en retard : il ne peut plus être prolongé."))
        if loan.thing.holds.filter(status__in=[HOLD_WAITING, HOLD_OFFERED]).exists():
            raise LendingError("waited_for", _("D'autres personnes attendent cet objet : il ne peut pas être "
                                               "prolongé."))
        new_due = _due_date(loan.lending_point, loan.due_date, loan.thing.loan_days)
        if loan.unit.loans.overlapping(loan.due_date + datetime.timedelta(days=1), new_due).exclude(pk=loan.pk).exists():
            raise LendingError("reserved_after", _("Cet exemplaire est réservé juste après : il ne peut pas être "
                                                   "prolongé."))
        loan.due_date, loan.renewals = new_due, F("renewals") + 1
        loan.save(update_fields=["due_date", "renewals"])
        loan.refresh_from_db()
        return loan


# ---- daily notices ---------------------------------------------------------------------------------------

def send_notices(today=None):
    """Reminders before the due date, overdue notices at D+1 and D+7, expired offers. Idempotent (dedupe keys)."""
    today = today or timezone.localdate()
    counts = {"reminders": 0, "overdue": 0, "offers_expired": expire_offers(today)}
    soon = Loan.objects.filter(status=LOAN_OUT, due_date__gt=today,
                               due_date__lte=today + datetime.timedelta(days=reminder_days()))
    for loan in soon.select_related("borrower", "thing"):
        if loan.borrower and _notice(loan, "reminder", f"prets:reminder:{loan.pk}:{loan.due_date:%Y%m%d}",
                                     _("Rappel : %(thing)s à rendre le %(date)s")):
            counts["reminders"] += 1
    for days in (1, 7):
        late = Loan.objects.filter(status=LOAN_OUT, due_date__lte=today - datetime.timedelta(days=days))
        for loan in late.select_related("borrower", "thing"):
            if loan.borrower and _notice(loan, "overdue", f"prets:overdue{days}:{loan.pk}",
                                         _("Retard : %(thing)s était à rendre le %(date)s"), days=days):
                counts["overdue"] += 1
    return counts


def _notice(loan, kind, key, subject, **context):
    with transaction.atomic():
        return _mail(kind, loan.borrower, subject % {"thing": loan.thing.title, "date": _date(loan.due_date)},
                     dedupe_key=key, loan=loan, **context) is not None


# ---- grainothèque ----------------------------------------------------------------------------------------

def record_seed_movement(variety_id, kind, packets, note=""):
    if kind not in (SEED_GIVE, SEED_TAKE):
        raise LendingError("invalid_kind", _("Choisissez « je donne » ou « je prends »."))
    if not isinstance(packets, int) or packets < 1 or packets > 50:
        raise LendingError("invalid_packets", _("Le nombre de sachets doit être compris entre 1 et 50."))
    with transaction.atomic():
        variety = SeedVarietyPage.objects.select_for_update().filter(pk=variety_id).first()
        if variety is None:
            raise LendingError("unknown_variety", _("Cette variété n'existe plus."))
        stock = variety.recount_stock()
        if kind == SEED_TAKE and packets > stock:
            raise LendingError("not_enough", ngettext(
                "Il ne reste que %(count)d sachet.", "Il ne reste que %(count)d sachets.", stock) % {"count": stock})
        movement = SeedMovement.objects.create(variety=variety, kind=kind, packets=packets, note=(note or "")[:200])
        SeedVarietyPage.objects.filter(pk=variety.pk).update(packets_in_stock=variety.recount_stock())
        return movement


# ---- statistics, purge -----------------------------------------------------------------------------------

def statistics(months=12, today=None):
    today = today or timezone.localdate()
    since = today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))
    per_month = list(
        Loan.objects.filter(status__in=[LOAN_OUT, LOAN_RETURNED], start_date__gte=since)
        .annotate(month=TruncMonth("start_date")).values("thing__title", "month")
        .annotate(count=Count("pk")).order_by("thing__title", "month")
    )
    requested = list(
        ThingPage.objects.annotate(
            requests=Count("loans", distinct=True) + Count("holds", distinct=True)
        ).filter(requests__gt=0).order_by("-requests", "title").values("title", "requests")[:10]
    )
    waits = [hold.waited_days for hold in Hold.objects.filter(offered_at__isnull=False).only("created_at", "offered_at")]
    return {
        "per_month": per_month,
        "most_requested": requested,
        "average_wait_days": round(sum(waits) / len(waits), 1) if waits else None,
        "waiting_now": Hold.objects.filter(status=HOLD_WAITING).count(),
    }


def purge_personal_data(now=None, days=None):
    """Delete borrowers without an active loan, reservation or queue place, inactive for `days`; their past loans
    stay (without borrower) for the statistics."""
    now = now or timezone.now()
    days = retention_days() if days is None else days
    limit = now - datetime.timedelta(days=days)
    with transaction.atomic():
        stale = Borrower.objects.filter(last_activity_at__lt=limit).exclude(loans__status__in=LOAN_ACTIVE).exclude(
            holds__status__in=[HOLD_WAITING, HOLD_OFFERED])
        emails = list(stale.values_list("email", flat=True))
        OutgoingEmail.objects.filter(kind__startswith="prets_", to__in=emails).delete()
        deleted = Borrower.objects.filter(pk__in=stale.values("pk")).delete()[1].get("prets.Borrower", 0)
    return {"borrowers_deleted": deleted}


def space_link(borrower):
    return absolute_url(space_url(borrower))
