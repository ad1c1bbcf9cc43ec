"""Agenda: the calendar page, event pages and associations' folders, their dated occurrences,
registrations and outgoing e-mails."""

from .association_events import AssociationEventsPage
from .emails import OutgoingEmail
from .occurrences import Occurrence, OccurrenceQuerySet, Registration
from .openagenda import OpenAgendaRecord
from .pages import AgendaPage, EventPage

__all__ = [
    "AgendaPage", "AssociationEventsPage", "EventPage", "Occurrence", "OccurrenceQuerySet", "OpenAgendaRecord", "OutgoingEmail",
    "Registration",
]
