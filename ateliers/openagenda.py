"""The agenda in OpenAgenda's v2 event structure (served as JSON) and its push to an OpenAgenda agenda.

One OpenAgenda event per dated occurrence: OpenAgenda's status belongs to an event, not to a timing, and a
cancelled date must stay visible as cancelled (status 6) instead of disappearing. Places are a separate
list of locations, keyed by a fingerprint of the address, created before the events that point at them.
"""

import datetime
import hashlib
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unidecode import unidecode

from biodiversitheque.core.absolute_urls import absolute_url

from .models.occurrences import Occurrence
from .models.openagenda import OpenAgendaRecord
from .recurrences import PARIS
from .services import place_key
from .structured_data import image_url

EXT_KEY = "biodiversitheque"
EXPORT_MAX = 1000
DESCRIPTION_MAX = 200  # OpenAgenda's short description
# OpenAgenda's status codes; 3 (moved online) and 4 (postponed) have no counterpart in our dates yet.
SCHEDULED, RESCHEDULED, MOVED_ONLINE, POSTPONED, FULL, CANCELLED = 1, 2, 3, 4, 5, 6
OFFLINE = 1  # attendanceMode
# OpenAgenda's accessibility codes, recognised in the event's free accessibility text (accents ignored).
ACCESSIBILITY_WORDS = {
    "mi": ("fauteuil", "pmr", "mobilite reduite", "moteur", "motrice"),
    "hi": ("malentendant", "sourd", "boucle magnetique", "lsf", "auditi"),
    "vi": ("malvoyant", "aveugle", "braille", "audiodescription", "visuel"),
    "pi": ("psychique",),
    "ii": ("intellectuel", "mental", "falc", "facile a lire"),
}
TIMEOUT = 30


class OpenAgendaError(Exception):
    """A push failed; the message is in French, for the command's output."""


def _iso(value):
    return value.astimezone(PARIS).isoformat(timespec="seconds")


def timings(start, end):
    """OpenAgenda timings of one date, each shorter than 24 h: a date over several days becomes one timing
    per day, from the start time to the end time (a 9:00–17:00 training over three days: three timings), or
    cut at midnight when the end time is not after the start time."""
    if end - start < datetime.timedelta(hours=24):
        return [{"begin": _iso(start), "end": _iso(end)}]
    start, end = start.astimezone(PARIS), end.astimezone(PARIS)
    days = (end.date() - start.date()).days
    result = []
    if end.time() > start.time():
        for offset in range(days + 1):
            day = start.date() + datetime.timedelta(days=offset)
            begin = datetime.datetime.combine(day, start.time(), tzinfo=PARIS)
            finish = datetime.datetime.combine(day, end.time(), tzinfo=PARIS)
            result.append({"begin": _iso(begin), "end": _iso(finish)})
        return result
    cursor = start
    while cursor < end:
        next_day = cursor.date() + datetime.timedelta(days=1)
        midnight = datetime.datetime.combine(next_day, datetime.time(), tzinfo=PARIS)
        piece_end = min(midnight, end)
        if piece_end - cursor >= datetime.timedelta(hours=24):
            piece_end -= datetime.timedelta(minutes=1)
        result.append({"begin": _iso(cursor), "end": _iso(piece_end)})
        cursor = midnight
    return result


def status_code(occurrence):
    if occurrence.is_cancelled:
        return CANCELLED
    if occurrence.event.registration_required and occurrence.is_full:
        return FULL
    if occurrence.previous_start and occurrence.previous_start != occurrence.start:
        return RESCHEDULED
    return SCHEDULED


def accessibility_codes(text):
    words = unidecode(text or "").lower()
    return {code: any(word in words for word in found) for code, found in ACCESSIBILITY_WORDS.items()}


def location_uid(event):
    return f"lieu-{place_key(event)[:16]}"


def location_of(event):
    location = {
        "uid": location_uid(event),
        "extId": location_uid(event),
        "name": event.place_name,
        "address": ", ".join(
            part for part in (event.address, f"{event.postal_code} {event.city}".strip()) if part
        ),
        "postalCode": event.postal_code,
        "city": event.city,
        "countryCode": "FR",
    }
    if event.latitude is not None and event.longitude is not None:
        location["latitude"], location["longitude"] = float(event.latitude), float(event.longitude)
    return location


def _short(text):
    text = " ".join((text or "").split())
    return text if len(text) <= DESCRIPTION_MAX else text[: DESCRIPTION_MAX - 1].rstrip() + "…"


def _event_fields(event, request):
    """What every date of an event shares: built once per event (its image rendition is a query)."""
    url = absolute_url(event.get_url(request))
    summary = event.summary or event.search_description or event.title
    long_parts = [summary, event.accessibility and _("Accessibilité : %s") % event.accessibility,
                  event.equipment and _("Matériel à prévoir : %s") % event.equipment, url]
    data = {
        "title": {"fr": event.title},
        "description": {"fr": _short(summary)},
        "longDescription": {"fr": "\n\n".join(part for part in long_parts if part)},
        "keywords": {"fr": [str(event.get_kind_display()), *(theme.name for theme in event.themes.all())]},
        "locationUid": location_uid(event),
        "attendanceMode": OFFLINE,
        "accessibility": accessibility_codes(event.accessibility),
        "conditions": {"fr": _("Gratuit") if event.is_free else (event.price or _("Payant"))},
        "links": [{"link": url}],
    }
    image = image_url(event)
    if image:
        data["image"] = {"url": image}
    if event.minimum_age:
        data["age"] = {"min": event.minimum_age, "max": 120}
    return data


def event_of(occurrence, request=None, shared=None):
    """One date as an OpenAgenda event; `shared` caches the event's own fields across its dates."""
    shared = {} if shared is None else shared
    if occurrence.event_id not in shared:
        shared[occurrence.event_id] = _event_fields(occurrence.event, request)
    registration = occurrence.event.registration_required
    return {
        "uid": str(occurrence.uid),
        "extIds": [{"key": EXT_KEY, "value": str(occurrence.uid)}],
        **shared[occurrence.event_id],
        "timings": timings(occurrence.start, occurrence.end),
        "status": status_code(occurrence),
        "registration": [{"type": "link", "value": absolute_url(occurrence.get_registration_url(request))}]
        if registration else [],
    }


def export_occurrences():
    """Dates of public events from today on, cancelled ones included, nearest first."""
    today = datetime.datetime.combine(timezone.localdate(), datetime.time(), tzinfo=PARIS)
    return (
        Occurrence.objects.public().filter(Q(end__gte=today)).order_by("start", "pk")
        .select_related("event", "event__listing_image")
        .prefetch_related("event__themes", "event__listing_image__renditions")[:EXPORT_MAX]
    )


def build_export(request=None, occurrences=None):
    """The whole export: {"agenda", "locations", "events"} (public information only)."""
    occurrences = list(export_occurrences() if occurrences is None else occurrences)
    locations, shared = {}, {}
    for occurrence in occurrences:
        locations.setdefault(location_uid(occurrence.event), location_of(occurrence.event))
    return {
        "agenda": {
            "title": settings.WAGTAIL_SITE_NAME,
            "url": absolute_url("/"),
            "source": absolute_url("/api/agenda/openagenda.json"),
            "updatedAt": _iso(timezone.now().replace(microsecond=0)),
        },
        "locations": list(locations.values()),
        "events": [event_of(occurrence, request, shared) for occurrence in occurrences],
    }


# -- push -----------------------------------------------------------------------------------------------

def fingerprint(body):
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Client:
    """The few OpenAgenda v2 routes the push needs (urllib: no extra dependency in production)."""

    def __init__(self, base_url, secret_key):
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key
        self.token = None

    def _call(self, method, path, body=None, token=True):
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["access-token"] = self.access_token()
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, headers=headers, method=method)
        try:
            # The URL is OPENAGENDA_BASE_URL from the settings, never user input.
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise OpenAgendaError(
                _("OpenAgenda a refusé %(method)s %(path)s (HTTP %(status)s) : %(detail)s")
                % {"method": method, "path": path, "status": error.code, "detail": _detail(error)}
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise OpenAgendaError(
                _("OpenAgenda ne répond pas (%(url)s) : %(reason)s")
                % {"url": self.base_url, "reason": getattr(error, "reason", error)}
            ) from None
        except ValueError:
            raise OpenAgendaError(
                _("OpenAgenda a répondu autre chose que du JSON à %(path)s.") % {"path": path}
            ) from None

    def access_token(self):
        if self.token is None:
            answer = self._call("POST", "/requestAccessToken", {"code": self.secret_key}, token=False)
            self.token = answer.get("access_token")
            if not self.token:
                raise OpenAgendaError(
                    _("OpenAgenda n'a pas donné de jeton d'accès : vérifiez la clé secrète.")
                )
        return self.token

    def create(self, agenda_uid, kind, body):
        answer = self._call("POST", f"/agendas/{agenda_uid}/{kind}s", body)
        return _remote_uid(answer, kind)

    def update(self, agenda_uid, kind, remote_uid, body):
        answer = self._call("PATCH", f"/agendas/{agenda_uid}/{kind}s/{remote_uid}", body)
        return _remote_uid(answer, kind) or remote_uid


def _detail(error):
    try:
        payload = json.loads(error.read() or b"{}")
    except ValueError:
        return error.reason
    return payload.get("message") or payload.get("error") or error.reason


def _remote_uid(answer, kind):
    uid = (answer.get(kind) or {}).get("uid")
    if uid is None:
        raise OpenAgendaError(_("Réponse d'OpenAgenda sans identifiant de %(kind)s.") % {"kind": kind})
    return str(uid)


def _location_body(location):
    return {key: value for key, value in location.items() if key != "uid"}


def _event_body(event, location_uids):
    """The event as OpenAgenda takes it: its location by OpenAgenda's (numeric) uid, not ours."""
    body = {key: value for key, value in event.items() if key not in ("uid", "locationUid")}
    remote = location_uids[event["locationUid"]]
    body["locationUid"] = int(remote) if remote.isdigit() else remote
    return body


def push(export, agenda_uid, client=None, dry_run=False, report=print):
    """Send every location then every event of `export`: create what was never sent, update what changed,
    skip the rest. Each success is recorded at once, so a push stopped by an error resumes where it was.
    Returns counts {"created", "updated", "unchanged", "withdrawn"}."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    records = {
        (record.kind, record.key): record for record in OpenAgendaRecord.objects.filter(agenda_uid=agenda_uid)
    }
    location_uids = {}

    def send(kind, key, label, body):
        record = records.get((kind, key))
        digest = fingerprint(body)
        if record and record.fingerprint == digest:
            counts["unchanged"] += 1
            return record.remote_uid
        verb = _("mis à jour") if record else _("créé")
        if dry_run:
            report(
                _("[essai] %(kind)s %(label)s : serait %(verb)s")
                % {"kind": KIND_LABELS[kind], "label": label, "verb": verb}
            )
            counts["updated" if record else "created"] += 1
            return record.remote_uid if record else f"essai-{key}"
        if record:
            record.remote_uid = client.update(agenda_uid, kind, record.remote_uid, body)
            record.fingerprint = digest
            record.save(update_fields=["remote_uid", "fingerprint", "pushed_at"])
            counts["updated"] += 1
        else:
            remote = client.create(agenda_uid, kind, body)
            records[(kind, key)] = OpenAgendaRecord.objects.create(
                agenda_uid=agenda_uid, kind=kind, key=key, remote_uid=remote, fingerprint=digest
            )
            counts["created"] += 1
        report(_("%(kind)s %(label)s : %(verb)s") % {"kind": KIND_LABELS[kind], "label": label, "verb": verb})
        return records[(kind, key)].remote_uid

    for location in export["locations"]:
        location_uids[location["uid"]] = send(
            OpenAgendaRecord.LOCATION, location["uid"], location["name"], _location_body(location)
        )
    for event in export["events"]:
        label = f"« {event['title']['fr']} » ({event['timings'][0]['begin'][:16].replace('T', ' ')})"
        send(OpenAgendaRecord.EVENT, event["uid"], label, _event_body(event, location_uids))
    counts["withdrawn"] = _withdraw_deleted(records, agenda_uid, client, dry_run, report)
    return counts


def _withdraw_deleted(records, agenda_uid, client, dry_run, report):
    """A date sent once and since deleted (the rule no longer makes it, nobody had registered) is
    marked cancelled on OpenAgenda (status 6) rather than left there as scheduled; then forgotten."""
    sent = {key: record for (kind, key), record in records.items() if kind == OpenAgendaRecord.EVENT}
    still_there = Occurrence.objects.filter(uid__in=list(sent)).values_list("uid", flat=True)
    existing = {str(uid) for uid in still_there}
    withdrawn = 0
    for key, record in sent.items():
        if key in existing:
            continue
        withdrawn += 1
        if dry_run:
            message = _("[essai] Événement %(uid)s : date supprimée, serait annulé")
            report(message % {"uid": record.remote_uid})
            continue
        client.update(agenda_uid, OpenAgendaRecord.EVENT, record.remote_uid, {"status": CANCELLED})
        record.delete()
        report(_("Événement %(uid)s : date supprimée, annulé") % {"uid": record.remote_uid})
    return withdrawn


KIND_LABELS = {
    OpenAgendaRecord.LOCATION: gettext_lazy("Lieu"),
    OpenAgendaRecord.EVENT: gettext_lazy("Événement"),
}
