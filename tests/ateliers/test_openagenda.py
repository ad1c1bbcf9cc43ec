"""OpenAgenda v2 export (structure checked with a JSON Schema) and its push to a local stand-in of the API."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import jsonschema
import pytest
import recurrence
import wagtail_factories
from django.core.management import CommandError, call_command
from django.utils import timezone

from ateliers import services
from ateliers.models import OpenAgendaRecord
from ateliers.openagenda import accessibility_codes, timings
from tests.factories import ThemeFactory

from .conftest import reload
from .openagenda_schema import SCHEMA

URL = "/api/agenda/openagenda.json"


def export(client):
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    jsonschema.validate(data, SCHEMA)
    return data


def parse(value):
    return datetime.datetime.fromisoformat(value)


def test_export_follows_the_v2_structure_with_cancelled_and_full_dates(client, make_event, settings):
    weekly = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=3", include_dtstart=False)
    event = make_event(
        title="Balade des mares", recurrence=weekly, capacity=2, themes=[ThemeFactory(name="Mares")],
        accessibility="Chemin accessible en fauteuil, boucle magnétique à l'accueil", latitude="47.39", longitude="0.68",
    )
    make_event(title="Atelier compost", latitude="47.390000", longitude="0.680000")  # same place: one location
    first, second, third = event.occurrences.order_by("start")
    services.cancel_occurrence(first.pk, "Tempête")
    services.register(second.pk, name="A", email="a@example.org", places=2)
    data = export(client)

    assert len(data["locations"]) == 1
    (location,) = data["locations"]
    by_uid = {item["uid"]: item for item in data["events"]}
    assert len(by_uid) == 4
    cancelled, full, scheduled = (by_uid[str(item.uid)] for item in (first, second, third))
    assert (cancelled["status"], full["status"], scheduled["status"]) == (6, 5, 1)
    assert scheduled["title"] == {"fr": "Balade des mares"} and scheduled["keywords"]["fr"][-1] == "Mares"
    assert scheduled["extIds"] == [{"key": "biodiversitheque", "value": str(third.uid)}]
    assert scheduled["locationUid"] == location["uid"] == location["extId"]
    assert scheduled["accessibility"] == {"hi": True, "ii": False, "vi": False, "pi": False, "mi": True}
    (timing,) = scheduled["timings"]
    assert parse(timing["begin"]) == third.start and parse(timing["end"]) == third.end
    assert scheduled["registration"] == [{"type": "link", "value": third.get_full_registration_url()}]
    for link in (scheduled["registration"][0]["value"], scheduled["links"][0]["link"], data["agenda"]["source"]):
        assert link.startswith(settings.BASE_URL)


def test_a_moved_date_is_rescheduled(client, make_event):
    event = make_event(start_time=datetime.time(10))
    event.start_time = datetime.time(16)
    event.save_revision().publish()
    (item,) = export(client)["events"]
    assert item["status"] == 2 and parse(item["timings"][0]["begin"]).hour == 16


def test_long_dates_are_split_into_timings_under_24_hours():
    paris = timezone.get_default_timezone()
    start = datetime.datetime(2027, 3, 26, 9, tzinfo=paris)  # over the change to summer time
    daily = timings(start, start + datetime.timedelta(days=2, hours=8))
    assert [(parse(item["begin"]).hour, parse(item["end"]).hour) for item in daily] == [(9, 17)] * 3
    assert [item["begin"][-6:] for item in daily] == ["+01:00", "+01:00", "+02:00"]
    overnight = timings(start, start + datetime.timedelta(hours=40))  # 9:00 → 1:00 two days later: cut at midnight
    assert len(overnight) == 3
    for item in daily + overnight:
        assert datetime.timedelta(0) < parse(item["end"]) - parse(item["begin"]) < datetime.timedelta(hours=24)
    assert parse(overnight[-1]["end"]) == start + datetime.timedelta(hours=40)
    assert len(timings(start, start + datetime.timedelta(hours=3))) == 1


def test_accessibility_words_ignore_accents_and_case():
    assert accessibility_codes("Accès PMR ; visite en LSF ; document FALC")["mi"]
    assert accessibility_codes("Adapté aux personnes MALVOYANTES")["vi"]
    assert not any(accessibility_codes("").values())


class StandIn(BaseHTTPRequestHandler):
    """OpenAgenda v2 as documented: a token from the secret key, then `access-token` on every write;
    JSON bodies; POST answers {"success": true, "event"|"location": {"uid": …}}; unknown ids answer 404."""

    secret = "oa_sk_test"
    token = "jeton-42"

    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        server.calls.append((self.command, self.path, body, self.headers.get("access-token")))
        if server.fail_with:
            return self._answer(server.fail_with, {"message": "Quota dépassé"})
        parts = self.path.strip("/").split("/")  # v2, agendas, {uid}, events|locations[, id]
        if parts == ["v2", "requestAccessToken"]:
            if (body or {}).get("code") != self.secret:
                return self._answer(401, {"message": "invalid code"})
            return self._answer(200, {"access_token": self.token, "expires_in": 3600})
        if self.headers.get("access-token") != self.token:
            return self._answer(403, {"message": "access-token missing or invalid"})
        if len(parts) < 4 or parts[:3] != ["v2", "agendas", server.agenda_uid]:
            return self._answer(404, {"message": "agenda not found"})
        kind = parts[3].rstrip("s")
        store = server.store.setdefault(kind, {})
        if self.command == "POST" and len(parts) == 4:
            server.next_uid += 1
            store[server.next_uid] = body
            return self._answer(200, {"success": True, kind: {"uid": server.next_uid, **body}})
        if self.command == "PATCH" and len(parts) == 5 and int(parts[4]) in store:
            store[int(parts[4])].update(body)
            return self._answer(200, {"success": True, kind: {"uid": int(parts[4]), **store[int(parts[4])]}})
        return self._answer(404, {"message": f"{kind} not found"})

    do_POST = do_PATCH = _handle


@pytest.fixture
def openagenda(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.calls, server.store, server.next_uid, server.fail_with, server.agenda_uid = [], {}, 1000, None, "7345"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OPENAGENDA_BASE_URL = f"http://127.0.0.1:{server.server_port}/v2"
    settings.OPENAGENDA_AGENDA_UID = server.agenda_uid
    settings.OPENAGENDA_SECRET_KEY = StandIn.secret
    yield server
    server.shutdown()
    server.server_close()


def run(*args):
    out = StringIO()
    call_command("push_openagenda", *args, stdout=out)
    return out.getvalue()


def test_push_creates_locations_first_then_events_and_updates_on_the_second_run(openagenda, make_event):
    weekly = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=2", include_dtstart=False)
    event = make_event(title="Balade des mares", recurrence=weekly)
    output = run()
    assert "1 lieu(x) et 2 date(s)" in output and "Terminé : 3 création(s), 0 mise(s) à jour" in output
    methods = [(method, path) for method, path, _body, _token in openagenda.calls]
    assert methods[0] == ("POST", "/v2/requestAccessToken")
    assert methods[1:] == [("POST", "/v2/agendas/7345/locations")] + [("POST", "/v2/agendas/7345/events")] * 2
    assert all(token == StandIn.token for _m, _p, _b, token in openagenda.calls[1:])
    (location_uid,) = openagenda.store["location"]
    sent = list(openagenda.store["event"].values())
    assert {body["locationUid"] for body in sent} == {location_uid}
    assert all(body["title"] == {"fr": "Balade des mares"} and "uid" not in body for body in sent)
    assert OpenAgendaRecord.objects.filter(kind="event").count() == 2

    # Nothing changed: nothing sent at all (not even for a token). Then one date is cancelled: one PATCH, status 6.
    openagenda.calls.clear()
    assert "Terminé : 0 création(s), 0 mise(s) à jour, 3 inchangé(s), 0 date(s)" in run()
    assert [call[0] for call in openagenda.calls] == []
    first = event.occurrences.order_by("start").first()
    services.cancel_occurrence(first.pk, "Tempête")
    output = run()
    assert "1 mise(s) à jour" in output
    (patch,) = [call for call in openagenda.calls if call[0] == "PATCH"]
    remote = OpenAgendaRecord.objects.get(kind="event", key=str(reload(first).uid)).remote_uid
    assert patch[1] == f"/v2/agendas/7345/events/{remote}" and patch[2]["status"] == 6
    assert len(openagenda.store["event"]) == 2  # updated, not duplicated


def test_dry_run_sends_and_records_nothing(openagenda, make_event):
    make_event()
    output = run("--dry-run")
    assert "essai" in output and "[essai] Lieu" in output and "serait créé" in output
    assert openagenda.calls == [] and not OpenAgendaRecord.objects.exists()


def test_http_failures_are_clear_french_errors_and_keep_what_was_sent(openagenda, make_event):
    make_event()
    openagenda.fail_with = 500
    with pytest.raises(CommandError) as error:
        run()
    assert "OpenAgenda a refusé POST /requestAccessToken (HTTP 500) : Quota dépassé" in str(error.value)
    assert "Traceback" not in str(error.value) and not OpenAgendaRecord.objects.exists()

    openagenda.fail_with = None
    StandIn.secret, secret = "autre", StandIn.secret
    try:
        with pytest.raises(CommandError, match="HTTP 401"):
            run()
    finally:
        StandIn.secret = secret


def test_missing_configuration_and_unreachable_server(settings, make_event):
    settings.OPENAGENDA_AGENDA_UID = ""
    with pytest.raises(CommandError, match="OPENAGENDA_AGENDA_UID n'est pas configuré"):
        run()
    settings.OPENAGENDA_AGENDA_UID, settings.OPENAGENDA_SECRET_KEY = "1", "s"
    settings.OPENAGENDA_BASE_URL = "http://127.0.0.1:9/v2"  # nothing listens
    make_event()
    with pytest.raises(CommandError, match="OpenAgenda ne répond pas"):
        run()


def test_export_reads_a_fixed_number_of_queries(client, make_event, django_assert_max_num_queries):
    weekly = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=4", include_dtstart=False)

    def add(count):
        for _index in range(count):
            make_event(recurrence=weekly, listing_image=wagtail_factories.ImageFactory())

    add(2)
    export(client)  # creates the renditions
    with django_assert_max_num_queries(40) as few:
        export(client)
    baseline = len(few.captured_queries)
    add(4)
    export(client)
    with django_assert_max_num_queries(baseline):  # renditions prefetched: none looked up per event
        assert len(export(client)["events"]) == 24


def test_a_date_deleted_after_its_push_is_cancelled_on_openagenda(openagenda, make_event):
    weekly = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=2", include_dtstart=False)
    event = make_event(recurrence=weekly)
    run()
    last = event.occurrences.order_by("start").last()
    remote = OpenAgendaRecord.objects.get(kind="event", key=str(last.uid)).remote_uid
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=1", include_dtstart=False)
    event.save_revision().publish()  # nobody registered: the second date is deleted
    assert not event.occurrences.filter(pk=last.pk).exists()
    openagenda.calls.clear()
    assert "1 date(s) supprimée(s) annulée(s)" in run()
    assert [(call[0], call[1], call[2]) for call in openagenda.calls if call[0] == "PATCH"] == [
        ("PATCH", f"/v2/agendas/7345/events/{remote}", {"status": 6})
    ]
    assert openagenda.store["event"][int(remote)]["status"] == 6
    assert not OpenAgendaRecord.objects.filter(key=str(last.uid)).exists()
    assert "0 date(s) supprimée(s)" in run()  # once only
