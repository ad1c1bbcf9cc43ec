"""Write e-mails to the outbox inside the caller's transaction; a task sends them after the commit.

A failing mail server therefore never loses or blocks a registration: the row stays "failed" (visible
in the admin) and `manage.py send_pending_emails` retries it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def _context(registration, **extra):
    occurrence = registration.occurrence
    event = occurrence.event
    return {
        "registration": registration,
        "occurrence": occurrence,
        "event": event,
        "start": timezone.localtime(occurrence.start),
        "end": timezone.localtime(occurrence.end),
        "event_url": event.get_full_url(),
        "manage_url": registration.get_manage_url(absolute=True),
        "site_name": settings.WAGTAIL_SITE_NAME,
        **extra,
    }


def render_email(kind, registration, **extra):
    context = _context(registration, **extra)
    subject = render_to_string(f"ateliers/emails/{kind}_subject.txt", context).strip()
    text = render_to_string(f"ateliers/emails/{kind}.txt", context)
    html = render_to_string(f"ateliers/emails/{kind}.html", context)
    return " ".join(subject.split()), text, html


def queue_email(kind, registration, dedupe_key=None, **extra):
    from .ical import registration_ics
    from .models import OutgoingEmail

    subject, text, html = render_email(kind, registration, **extra)
    ics = registration_ics(registration) if kind in ("confirmation", "promotion") else ""
    email = OutgoingEmail.objects.create(
        registration=registration, kind=kind, to=registration.email, subject=subject, body_text=text,
        body_html=html, ics=ics, dedupe_key=dedupe_key,
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id):
    from .tasks import send_outgoing_email

    try:
        send_outgoing_email.enqueue(email_id)
    except Exception:  # noqa: BLE001 — the row stays pending; send_pending_emails will retry
        logger.exception("Impossible de programmer l'envoi de l'e-mail %s", email_id)


def deliver(email_id):
    """Send one outbox row; record success or failure. Returns True when sent."""
    from .models import OutgoingEmail

    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutgoingEmail.SENT:
            return False
        message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        if email.ics:
            message.attach("activite.ics", email.ics, "text/calendar")
        email.attempts += 1
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
    from .models import OutgoingEmail

    ids = list(
        OutgoingEmail.objects.exclude(status=OutgoingEmail.SENT)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(1 for pk in ids if deliver(pk))
    return sent, len(ids) - sent
