"""Write e-mails to the outbox inside the caller's transaction; a task renders and sends them after the commit.

The row written in the transaction is minimal (kind, recipient, registration): the templates and the .ics
are rendered by the task, so the occurrence row stays locked only while places are counted and the
registration inserted. A failing mail server therefore never loses or blocks a registration: the row stays
"failed" (visible in the admin) and `manage.py send_pending_emails` retries it.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from django_tasks import task

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.sites import site_name

from .ical import CANCEL, REQUEST, registration_ics
from .models.emails import OutgoingEmail
logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# E-mails carrying the date's .ics: same UID each time, the SEQUENCE tells which is newer. REQUEST adds or
# updates the date in the person's calendar, CANCEL removes it.
ICS_KINDS = {
    "confirmation": REQUEST,
    "promotion": REQUEST,
    "schedule_changed": REQUEST,
    "reminder": REQUEST,
    "occurrence_cancelled": CANCEL,
    "registration_cancelled": CANCEL,
}


def _context(registration, **extra):
    occurrence = registration.occurrence
    event = occurrence.event
    return {
        "registration": registration,
        "occurrence": occurrence,
        "event": event,
        "start": timezone.localtime(occurrence.start),
        "end": timezone.localtime(occurrence.end),
        "event_url": absolute_url(event.get_url()),
        "manage_url": registration.get_manage_url(absolute=True),
        "site_name": site_name(),
        **extra,
    }


def render_email(kind, registration, **extra):
    context = _context(registration, **extra)
    subject = render_to_string(f"ateliers/emails/{kind}_subject.txt", context).strip()
    text = render_to_string(f"ateliers/emails/{kind}.txt", context)
    html = render_to_string(f"ateliers/emails/{kind}.html", context)
    return " ".join(subject.split()), text, html


def queue_email(kind, registration, dedupe_key=None):
    """Write an outbox row (rendered later, by `deliver`) and enqueue its sending once the transaction commits.

    After the commit, not inside it: the task row is then written once the date's lock is released (every
    statement under that lock delays the next registration of the date); a crash in between leaves the row
    pending, which `send_pending_emails` sends."""
    email = OutgoingEmail.objects.create(
        registration=registration, kind=kind, to=registration.email, dedupe_key=dedupe_key
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def queue_message(kind, to, subject, text, html="", attachment=None, dedupe_key=None):
    """Write an already rendered e-mail to the outbox (for apps other than the agenda); sent after the commit.

    `attachment` is an optional (filename, content bytes, mimetype) triple. Returns the row.
    """
    name, content, mimetype = attachment or ("", b"", "")
    email = OutgoingEmail.objects.create(
        kind=kind, to=to, subject=" ".join(subject.split()), body_text=text, body_html=html,
        attachment_name=name, attachment=content, attachment_type=mimetype, dedupe_key=dedupe_key,
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def render(email):
    """Fill subject, bodies and .ics of an outbox row from its registration's current data."""
    registration = email.registration
    email.subject, email.body_text, email.body_html = render_email(email.kind, registration)
    method = ICS_KINDS.get(email.kind)
    # Only a confirmed place goes into the person's calendar (a waiting one may never come), so only a place
    # once confirmed is taken out of it.
    if method == CANCEL:
        in_calendar = registration.confirmed_at is not None
    else:
        in_calendar = registration.status == registration.CONFIRMED
    email.ics = registration_ics(registration, method) if method and in_calendar else ""


def _enqueue(email_id):
    try:
        send_outgoing_email.enqueue(email_id)
    except Exception:  # noqa: BLE001 — the row stays pending; send_pending_emails will retry
        logger.exception("Impossible de programmer l'envoi de l'e-mail %s", email_id)


def deliver(email_id):
    """Send one outbox row; record success or failure. Returns True when sent."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutgoingEmail.SENT:
            return False
        email.attempts += 1
        if not email.subject:
            try:
                render(email)
            except Exception as error:  # noqa: BLE001 — e.g. a purged registration: recorded, not raised
                email.status = OutgoingEmail.FAILED
                email.last_error = f"{type(error).__name__}: {error}"[:2000]
                email.save(update_fields=["status", "attempts", "last_error"])
                logger.warning("Impossible de rédiger l'e-mail %s : %s", email.pk, error)
                return False
            email.save(update_fields=["subject", "body_text", "body_html", "ics"])
        message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        if email.ics:
            # The METHOD in the MIME type too: mail clients show "accept" or "remove" from it (RFC 6047).
            method = "CANCEL" if "METHOD:CANCEL" in email.ics else "REQUEST"
            message.attach("activite.ics", email.ics, f"text/calendar; method={method}")
        if email.attachment_name:
            message.attach(email.attachment_name, bytes(email.attachment), email.attachment_type)
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 — any transport error is recorded and retried
            email.status = OutgoingEmail.FAILED
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.save(update_fields=["status", "attempts", "last_error"])
            logger.warning("Échec d'envoi de l'e-mail %s : %s", email.pk, error)
            return False
        email.status = OutgoingEmail.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return True


def send_pending(limit=500):
    """Retry every pending or failed e-mail (cron); returns (sent, failed)."""
    ids = list(
        OutgoingEmail.objects.exclude(status=OutgoingEmail.SENT)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(1 for pk in ids if deliver(pk))
    return sent, len(ids) - sent


@task()
def send_outgoing_email(email_id):
    """Send one outbox e-mail (failures are recorded on the row, never raised)."""
    return deliver(email_id)
