"""Agenda benchmark, on one PostgreSQL database (127.0.0.1 only): calendar pages, API and feed with 5 vs 500
recurring events; on gunicorn, the registration form and POST against a tiny view of the same server
(interleaved), then a rush of 200 concurrent registrations for 20 places.

The database is migrated once per fingerprint (bench.templates, shared by every module): the migrated schema is
kept as a template database (`biodiv_bench_schema_<fingerprint>`) and each run starts from a fresh copy of it
(CREATE DATABASE … TEMPLATE), as Django's --keepdb would. A new or edited migration changes the fingerprint,
and the next run migrates again.
"""

import datetime
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.harness import goal

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_AGENDA_DB", "biodiv_bench")
PG_BENCH_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
RUSH_REQUESTS, RUSH_CAPACITY, RUSH_PORT = 200, 20, int(os.environ.get("BENCH_PORT", "8765"))
RATE_REQUESTS, RATE_CLIENTS, RATE_PAIRS, RATE_GOAL, P95_GOAL = 40, 8, 5, 0.5, 2.0
TINY_PATH = "/bench/petite-vue/"
# gunicorn: two workers per core (its own advice); --preload imports Django once, before forking.
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", 2 * (os.cpu_count() or 2)))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
WORKER_NICENESS = int(os.environ.get("BENCH_WORKER_NICENESS", "10"))


def _cpu():
    """Processor seconds of this process and of its finished children (server, worker): the budget's proxy."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
# The environment of this process (set before Django starts), of the gunicorn server and of the e-mail worker.
ENV = {
    "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench", "DATABASE_URL": PG_BENCH_URL,
    # As in production: one connection kept per thread; e-mails queued in the database, sent by `db_worker`.
    "DATABASE_CONN_MAX_AGE": "60", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    # All 200 requests come from 127.0.0.1: the per-address limit would answer most with 429.
    "RATELIMIT_ENABLE": "false",
}


# ---------------------------------------------------------------- one database for the whole module

def _prepare_database():
    """A fresh database, a copy of the migrated template shared by every module (bench.templates: migrated
    first when no template matches the fingerprint); False if PostgreSQL does not answer."""
    import psycopg

    from bench.templates import copy_migrated_postgresql

    started = time.perf_counter()
    try:
        built = copy_migrated_postgresql(PG_BENCH_URL, {**os.environ, **ENV}, admin_url=PG_ADMIN_URL)
    except psycopg.OperationalError:
        return False
    how = "migrée (modèle gardé pour les exécutions suivantes)" if built else "copiée du schéma déjà migré"
    print(f"  base {DB_NAME} {how} en {time.perf_counter() - started:.1f} s", flush=True)
    return True


# ---------------------------------------------------------------- calendar scaling (in-process)

def _create_events(agenda, count, start_index):
    """`count` live weekly activities under the agenda with a year of dates, in a few bulk INSERTs.

    The same rows as publishing them one by one (tree path, URL path, live, content type, locale, dates from
    the rule by planned_starts), without a revision or search entries, which the calendar does not read:
    add_child + sync_occurrences took minutes for 500 activities. Django's bulk_create refuses multi-table
    models, so each table of the page (Page, BasePage, EventPage) gets its own INSERT, parent first."""
    import uuid

    import recurrence
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page

    from ateliers.models import EventPage, Occurrence
    from ateliers.recurrences import planned_starts
    from ateliers.services import place_key

    kinds = ["atelier", "balade", "formation", "chantier", "conference"]
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(EventPage)
    last = agenda.get_last_child()
    first_step = EventPage._str2int(last.path[-EventPage.steplen:]) + 1 if last else 1
    events = []
    for number, index in enumerate(range(start_index, start_index + count)):
        slug = f"activite-{index}"
        events.append(EventPage(
            title=f"Activité {index}", draft_title=f"Activité {index}", slug=slug, kind=kinds[index % 5],
            place_name="La Grange", first_date=timezone.localdate() + datetime.timedelta(days=1),
            start_time=datetime.time(9 + index % 9), capacity=12,
            recurrence=recurrence.deserialize(f"RRULE:FREQ=WEEKLY;BYDAY={days[index % 7]}", include_dtstart=False),
            path=EventPage._get_path(agenda.path, agenda.depth + 1, first_step + number), depth=agenda.depth + 1,
            numchild=0, url_path=f"{agenda.url_path}{slug}/", live=True, has_unpublished_changes=False,
            first_published_at=now, last_published_at=now, content_type=content_type, locale_id=agenda.locale_id,
            translation_key=uuid.uuid4(),
        ))
    with transaction.atomic():
        ids = Page._base_manager._insert(
            events, fields=[field for field in Page._meta.local_concrete_fields if not field.primary_key],
            returning_fields=[Page._meta.pk],
        )
        for event, (page_id,) in zip(events, ids, strict=True):
            event.id = event.page_ptr_id = page_id
        EventPage._base_manager._insert(events, fields=EventPage._meta.local_concrete_fields)
        Page.objects.filter(pk=agenda.pk).update(numchild=F("numchild") + count)
        occurrences = [
            Occurrence(event=event, start=start, end=start + event.duration, place_key=place_key(event))
            for event in events
            for start in planned_starts(event, now, 365)
        ]
        Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    agenda.refresh_from_db()


def _measure(client, url, runs=5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up (template and URL caches)
    timings = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries.captured_queries)  # now: the log is sliced lazily and later requests reset it
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
    assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), query_count, len(response.content)


def bench_calendar():
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    from ateliers.models import AgendaPage, Occurrence
    from biodiversitheque.portal.site_structure import ensure_site_structure

    setup_test_environment()
    try:
        home = ensure_site_structure()
        agenda = AgendaPage(title="Agenda", slug="agenda")
        home.add_child(instance=agenda)
        agenda.save_revision().publish()
        client = Client()
        today = timezone.localdate()
        urls = {
            "liste /agenda/": "/agenda/",
            "mois": f"/agenda/mois/{today.year}/{today.month}/",
            "/api/agenda/": "/api/agenda/",
            "agenda.ics": "/agenda/agenda.ics",
        }
        results = {}
        created = 0
        for count in (5, 500):
            _create_events(agenda, count - created, created)
            created = count
            print(f"  {count} activités répétées chaque semaine sur un an : {Occurrence.objects.count()} dates "
                  "(PostgreSQL)", flush=True)
            results[count] = {name: _measure(client, url) for name, url in urls.items()}
        print(f"  {'vue':<16}{'5 activités':>16}{'500 activités':>16}{'ratio':>8}{'requêtes SQL':>16}")
        for name in urls:
            (small, q_small, _s), (big, q_big, size) = results[5][name], results[500][name]
            print(f"  {name:<16}{small * 1000:>13.1f} ms{big * 1000:>13.1f} ms{big / small:>8.2f}"
                  f"{q_small:>9} → {q_big:<4}  ({size // 1024} Ko)")
    finally:
        teardown_test_environment()
    return agenda


# ---------------------------------------------------------------- registration rush (gunicorn + PostgreSQL)

def _prepare_rush(agenda):
    """The rush's activity (RUSH_CAPACITY places) and one with room for every registration the throughput
    measure sends; their dates' registration paths."""
    from django.utils import timezone

    from ateliers.models import EventPage

    paths = []
    for slug, capacity in (("debit", 100000), ("ruee", RUSH_CAPACITY)):
        event = EventPage(title=slug.capitalize(), slug=slug, place_name="La Grange", capacity=capacity,
                          max_places_per_registration=1, registration_opens_days=None,
                          first_date=timezone.localdate() + datetime.timedelta(days=3))
        agenda.add_child(instance=event)
        event.save_revision().publish()
        paths.append(event.occurrences.get().get_registration_url())
    return paths


def _counts():
    """Places confirmed and requests waiting for the rush's date, e-mails queued and sent (all activities)."""
    from django.db.models import Sum

    from ateliers.models import OutgoingEmail, Registration

    rush = Registration.objects.filter(occurrence__event__slug="ruee")  # not the throughput measure's activity
    return (rush.filter(status="confirmed").aggregate(s=Sum("places"))["s"] or 0,
            rush.filter(status="waiting").count(), OutgoingEmail.objects.count(),
            OutgoingEmail.objects.filter(status="sent").count())


def gunicorn_command(port):
    """The server of the bench, configured as docs/exploitation.md advises for a small machine."""
    return [
        str(Path(sys.executable).with_name("gunicorn")), "bench.wsgi", "-b", f"127.0.0.1:{port}",
        "-w", str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS), "--preload", "--backlog", "2048",
        "--log-level", "warning",
    ]


def bench_rush(agenda):
    import requests
    from django.db import connections

    roomy_path, path = _prepare_rush(agenda)
    connections.close_all()  # the server and the worker open their own
    env = {**os.environ, **ENV}
    base = f"http://127.0.0.1:{RUSH_PORT}"
    url = f"{base}{path}"
    server = subprocess.Popen(gunicorn_command(RUSH_PORT), cwd=ROOT, env=env)
    # The e-mail worker at a lower priority, as docs/exploitation.md advises: sending can wait a few seconds,
    # the people registering cannot (during the rush it still sends the throughput measure's e-mails).
    worker = subprocess.Popen(
        ["nice", "-n", str(WORKER_NICENESS), sys.executable, "manage.py", "db_worker", "--interval", "0.5",
         "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):  # bounded wait for the server
            try:
                requests.get(url, timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        rates = _compare_rates(f"{base}{roomy_path}", f"{base}{TINY_PATH}")
        sessions = []
        for _ in range(RUSH_REQUESTS):  # each person opens the form first (not timed)
            session = requests.Session()
            # Connection: close — gunicorn drops idle keep-alive connections after 2 s; reusing one for the
            # POST would fail on the client side (a bench artefact, not a server error).
            session.get(url, timeout=30, headers={"Connection": "close"})
            sessions.append(session)
        barrier = threading.Barrier(RUSH_REQUESTS)
        outcomes = []

        def post(index):
            session = sessions[index]
            data = {"csrfmiddlewaretoken": session.cookies["csrftoken"], "name": f"Personne {index}",
                    "email": f"p{index}@example.org", "places": "1", "consent": "on",
                    **({"waiting_list": "on"} if index % 2 else {})}
            barrier.wait(timeout=60)
            started = time.perf_counter()  # each request's latency from its own send
            try:
                response = session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60)
                status = response.status_code
            except requests.RequestException as error:
                status = repr(error)
            outcomes.append((status, time.perf_counter() - started))

        started = time.perf_counter()
        with ThreadPoolExecutor(RUSH_REQUESTS) as pool:
            list(pool.map(post, range(RUSH_REQUESTS)))
        elapsed = time.perf_counter() - started
        server.terminate()
        for _ in range(240):  # the worker sends the queued e-mails (bounded wait)
            confirmed, waiting, emails, sent = _counts()
            if sent == emails:
                break
            time.sleep(0.5)
        drained = time.perf_counter() - started
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    statuses = [status for status, _ in outcomes]
    errors = sum(1 for status in statuses if not isinstance(status, int) or status >= 500)
    print(f"  {RUSH_REQUESTS} inscriptions simultanées pour {RUSH_CAPACITY} places (gunicorn {GUNICORN_WORKERS} "
          f"workers × {GUNICORN_THREADS} threads, PostgreSQL)")
    durations = sorted(duration for _, duration in outcomes)
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(f"  {RUSH_REQUESTS / elapsed:.0f} inscriptions/s ; temps de réponse : médiane "
          f"{statistics.median(durations):.2f} s, 95e centile {p95:.2f} s, maximum {durations[-1]:.2f} s")
    print(f"  réponses : {statuses.count(302)} acceptées (confirmées ou en attente), {statuses.count(400)} refusées "
          f"avec message (complet), erreurs : {errors}")
    if errors:
        print("  erreurs :", sorted({str(status)[:120] for status in statuses
                                     if not isinstance(status, int) or status >= 500}))
    print(f"  places confirmées : {confirmed} (attendu {RUSH_CAPACITY}), en liste d'attente : {waiting}")
    accepted = statuses.count(302)
    overbooked = max(0, confirmed - RUSH_CAPACITY)
    # Lost: an answer that is neither accepted nor refused with a message, or an accepted one with no row.
    lost = errors + sum(1 for status in statuses if isinstance(status, int) and status not in (302, 400))
    lost += max(0, accepted - (confirmed + waiting))
    goal(f"Ruée : {RUSH_REQUESTS} inscriptions simultanées, {RUSH_CAPACITY} places", "0 en trop, 0 perdue, p95 < 2 s",
         f"{overbooked} en trop, {lost} perdue(s), p95 {p95:.2f} s", not overbooked and not lost and p95 < P95_GOAL)
    for label, (ratio, low, high, rate, tiny_rate) in rates.items():
        goal(f"{label} / petite vue (gunicorn, PostgreSQL)", f"≥ {RATE_GOAL:.0%} de son débit".replace("%", " %"),
             f"{ratio:.0%} ({rate:.0f} contre {tiny_rate:.0f} req/s ; de {low:.0%} à {high:.0%}, "
             f"{RATE_PAIRS} paires)".replace("%", " %"), ratio >= RATE_GOAL)
    print(f"  e-mails : {sent} envoyés sur {emails} par le worker (db_worker), tous partis {drained:.1f} s après "
          f"le début de la ruée")


def _batch(sessions, make_request):
    """RATE_REQUESTS requests, RATE_CLIENTS at a time; each client borrows a session (cookie, CSRF token)."""
    import queue

    counter = iter(range(10 ** 9))
    idle = queue.Queue()
    for session in sessions:
        idle.put(session)

    def one(_):
        session = idle.get()
        try:
            response = make_request(session, next(counter))
        finally:
            idle.put(session)
        assert response.status_code in (200, 302), response.status_code

    with ThreadPoolExecutor(RATE_CLIENTS) as pool:
        list(pool.map(one, range(RATE_REQUESTS)))


def _compare_rates(form_url, tiny_url):
    """The registration form (GET) and its POST against the tiny view, interleaved; {label: ratios and rates}."""
    import requests

    from bench.harness import interleaved

    run_id = time.monotonic_ns()
    sessions = []
    for _ in range(RATE_CLIENTS):  # opened beforehand, not timed: the form sets the CSRF cookie
        session = requests.Session()
        session.get(form_url, timeout=30)
        sessions.append(session)

    def get_form(session, number):
        return session.get(form_url, timeout=30)

    def post_form(session, number):
        return session.post(
            form_url, allow_redirects=False, timeout=30, headers={"Referer": form_url},
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "name": f"Débit {number}",
                  "email": f"debit-{run_id}-{number}@example.org", "places": "1", "consent": "on"},
        )

    def get_tiny(session, number):
        return session.get(tiny_url, timeout=30)

    results = {}
    for label, request in (("Formulaire d'inscription (GET)", get_form), ("Inscription (POST)", post_form)):
        comparison = interleaved(lambda: _batch(sessions, request), lambda: _batch(sessions, get_tiny),
                                 pairs=RATE_PAIRS)
        # Rate ratio = tiny batch time / form batch time.
        ratio = 1 / comparison.ratio
        low, high = (1 / value for value in reversed(comparison.spread))
        rate, tiny_rate = RATE_REQUESTS / comparison.median_a, RATE_REQUESTS / comparison.median_b
        print(f"  {label} : {rate:.0f} req/s, petite vue {tiny_rate:.0f} req/s ; rapport {ratio:.2f} "
              f"(de {low:.2f} à {high:.2f}, {RATE_PAIRS} paires, {RATE_CLIENTS} clients)", flush=True)
        results[label] = (ratio, low, high, rate, tiny_rate)
    return results


def run():
    # This process works on the bench database too (calendar, preparation, counts): set before Django starts.
    os.environ.update(ENV)
    import django

    django.setup()
    if not _prepare_database():
        print("  PostgreSQL injoignable sur 127.0.0.1:5432 : agenda non mesuré.")
        return
    cpu = _cpu()
    agenda = bench_calendar()
    print(f"  processeur : {cpu:.0f} s pour la base, {_cpu() - cpu:.0f} s pour l'agenda", flush=True)
    cpu = _cpu()
    bench_rush(agenda)
    print(f"  processeur : {_cpu() - cpu:.0f} s pour le débit et la ruée (serveur, worker et clients compris)")


if __name__ == "__main__":
    run()
