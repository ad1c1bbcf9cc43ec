"""Agenda: the calendar page, event pages, their dated occurrences, registrations and outgoing e-mails."""

from .emails import OutgoingEmail
from .occurrences import Occurrence, OccurrenceQuerySet, Registration
from .pages import AgendaPage, EventPage

__all__ = ["AgendaPage", "EventPage", "Occurrence", "OccurrenceQuerySet", "OutgoingEmail", "Registration"]
