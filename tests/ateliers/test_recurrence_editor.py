"""The repetition widget in the editor: its French catalogue, its layout files, and the preview of the next
dates (the same ones publishing creates)."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from ateliers.services import sync_occurrences
from tests.factories import EventPageFactory

PREVIEW = "/admin/agenda/apercu-des-dates/"
WEEKLY_SATURDAYS = "RRULE:FREQ=WEEKLY;BYDAY=SA"


@pytest.fixture
def admin_client(client, home_page):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    return client


def catalogue(client):
    response = client.get("/jsi18n/recurrence/")
    assert response.status_code == 200
    strings = json.loads(re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1))
    assert not [value for value in strings.values() if "Tou(te)s" in str(value)]
    return strings


def preview(client, **params):
    query = {"first_date": "2027-05-01", "start_time": "10:00", "duration_minutes": "90", "recurrence": ""}
    return client.get(PREVIEW, {**query, **params})


def test_editor_loads_the_french_catalogue_layout_and_preview(admin_client, agenda):
    html = admin_client.get(f"/admin/pages/add/ateliers/eventpage/{agenda.pk}/").content.decode()
    assert html.index("/jsi18n/recurrence/") < html.index("recurrence/js/recurrence-widget.js")
    assert html.index("recurrence/js/recurrence-widget.js") < html.index("js/recurrence-fr.js")
    assert "css/recurrence-editor.css" in html and "js/recurrence-preview.js" in html
    assert f'data-recurrence-preview="{PREVIEW}"' in html
    assert 'aria-live="polite"' in html and "Prochaines dates" in html


def test_edit_view_has_the_preview_too(admin_client, make_event):
    event = make_event()
    html = admin_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert f'data-recurrence-preview="{PREVIEW}"' in html and "js/recurrence-fr.js" in html


def test_catalogue_speaks_french_with_agreement(client, db):
    strings = catalogue(client)
    assert strings["every week"] == "toutes les semaines"
    assert strings["every month"] == "tous les mois"
    assert strings["every %(number)s week"] == ["toutes les %(number)s semaine", "toutes les %(number)s semaines"]
    assert strings["every %(number)s month"][1] == "tous les %(number)s mois"
    assert strings["Every"] == "Intervalle :"
    # django-recurrence's own French is still there where it reads well.
    assert strings["Saturday"] == "samedi" and strings["Add rule"] == "Ajouter une règle"
    assert strings["Exclude these occurences"] == "Exclure ces dates"


def test_preview_gives_the_next_five_dates_publishing_creates(admin_client, agenda):
    response = preview(admin_client, recurrence=WEEKLY_SATURDAYS)
    assert response.status_code == 200
    dates = response.json()["dates"]
    assert [date["label"] for date in dates[:2]] == ["samedi 1er mai 2027, 10 h 00", "samedi 8 mai 2027, 10 h 00"]
    event = EventPageFactory(
        parent=agenda, first_date=datetime.date(2027, 5, 1), start_time=datetime.time(10), duration_minutes=90,
        recurrence=WEEKLY_SATURDAYS,
    )
    sync_occurrences(event)
    created = event.occurrences.order_by("start")[:5]
    assert [date["start"] for date in dates] == [timezone.localtime(o.start).isoformat() for o in created]
    assert [date["end"] for date in dates] == [timezone.localtime(o.end).isoformat() for o in created]


def test_preview_without_rule_is_the_first_date_and_skips_past_dates(admin_client):
    assert [d["label"] for d in preview(admin_client).json()["dates"]] == ["samedi 1er mai 2027, 10 h 00"]
    past = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert preview(admin_client, first_date=past).json() == {"dates": []}


@pytest.mark.parametrize("params, message", [
    ({"recurrence": "RRULE:FREQ=SOMETIMES"}, "Règle de répétition illisible"),
    ({"recurrence": "n'importe quoi"}, "Règle de répétition illisible"),
    ({"first_date": "31/02/2027"}, "Première date invalide"),
    ({"first_date": ""}, "Indiquez la première date"),
    ({"start_time": "midi"}, "Heure de début invalide"),
    ({"duration_minutes": "0"}, "au moins 5 minutes"),
])
def test_preview_refuses_bad_input_in_french(admin_client, params, message):
    response = preview(admin_client, **params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_preview_is_refused_to_anonymous_and_to_users_without_page_rights(client, db):
    response = preview(client, recurrence=WEEKLY_SATURDAYS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    editor = User.objects.create_user("lecteur", "lecteur@example.org", "x")
    group = Group.objects.create(name="Accès admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    response = preview(client, recurrence=WEEKLY_SATURDAYS)
    assert response.status_code == 403
    assert "droit" in response.json()["error"]
