"""The demo calendar gives something real in every open format."""

import json
import re

import jsonschema
import vobject
from icalendar import Calendar

from ateliers.models import AgendaPage, EventPage
from demo import ateliers as demo
from tests.factories import AssociationFactory

from .openagenda_schema import SCHEMA


def test_demo_produces_every_agenda_format(client, home_page, django_capture_on_commit_callbacks):
    AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares")
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(lambda line: None)
    agenda = AgendaPage.objects.live().get()

    feed = client.get(f"{agenda.url}agenda.ics").content.decode()
    calendar = Calendar.from_ical(feed)
    assert str(calendar["METHOD"]) == "PUBLISH" and calendar.walk("VTIMEZONE")
    assert len(vobject.readOne(feed).vevent_list) == len(calendar.walk("VEVENT")) > 10

    export = client.get("/api/agenda/openagenda.json").json()
    jsonschema.validate(export, SCHEMA)
    statuses = {event["status"] for event in export["events"]}
    assert {1, 5, 6} <= statuses  # the demo has full and cancelled dates
    assert any(any(event["accessibility"].values()) for event in export["events"])

    recurring = next(event for event in EventPage.objects.live() if event.recurrence.rrules)
    html = client.get(recurring.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data[-1]["@type"] == "EventSeries" and data[-1]["eventSchedule"]["@type"] == "Schedule"
    assert all("offers" in item for item in data[:-1] if not item["eventStatus"].endswith("EventCancelled"))
