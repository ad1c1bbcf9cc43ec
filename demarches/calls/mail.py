"""The calls' e-mails, written to the outbox inside the caller's transaction."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ateliers.mail import queue_message
from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.sites import site_name

from .tokens import application_url

SUBJECTS = {
    "call_link": _("Votre dossier pour « %(call)s »"),
    "call_invitation": _("Vous êtes invité(e) à compléter un dossier pour « %(call)s »"),
    "call_receipt": _("Dossier n° %(number)s déposé : « %(call)s »"),
    "call_reminder": _("Clôture dans moins de 48 h : « %(call)s »"),
    "call_info_request": _("Compléments demandés pour votre dossier n° %(number)s"),
    "call_decision": _("Décision sur votre dossier n° %(number)s : « %(call)s »"),
}


def send(kind, access, dedupe_key=None, **extra):
    """Queue the `kind` e-mail to the person behind `access`, with their signed link."""
    application = access.application
    call = application.call
    context = {
        "application": application, "call": call, "access": access, "link": application_url(access),
        "call_url": absolute_url(call.url), "site_name": site_name(), **extra,
    }
    subject = SUBJECTS[kind] % {"call": call.title, "number": application.number}
    text = render_to_string(f"demarches/calls/emails/{kind}.txt", context)
    return queue_message(kind, access.email, subject, text, dedupe_key=dedupe_key)
