import datetime

import pytest
from django.utils import timezone

from ateliers.models import AgendaPage, Occurrence
from ateliers.services import sync_occurrences
from tests.factories import EventPageFactory


@pytest.fixture
def agenda(home_page):
    page = AgendaPage(title="Agenda", slug="agenda", show_in_menus=True)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def make_event(agenda):
    def make(**kwargs):
        event = EventPageFactory(parent=agenda, **kwargs)
        sync_occurrences(event)
        return event

    return make


@pytest.fixture
def event(make_event):
    return make_event(title="Balade des mares", kind="balade", capacity=5)


@pytest.fixture
def occurrence(event):
    return event.occurrences.get()


@pytest.fixture
def make_occurrence(make_event):
    """A single-date event starting in `days` days, with the given capacity."""

    def make(days=7, capacity=5, **kwargs):
        first = timezone.localdate() + datetime.timedelta(days=days)
        return make_event(first_date=first, capacity=capacity, **kwargs).occurrences.get()

    return make


def reload(occurrence):
    return Occurrence.objects.get(pk=occurrence.pk)
