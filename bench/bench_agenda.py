"""Agenda benchmark: calendar pages, API and feed with 5 vs 500 recurring events; on gunicorn and PostgreSQL
(127.0.0.1 only), the registration form and POST against a tiny view of the same server (interleaved), then a
rush of 200 concurrent registrations for 20 places."""

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
PG_BENCH_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + "/biodiv_bench"
RUSH_REQUESTS, RUSH_CAPACITY, RUSH_PORT = 200, 20, int(os.environ.get("BENCH_PORT", "8765"))
RATE_REQUESTS, RATE_CLIENTS, RATE_PAIRS, RATE_GOAL, P95_GOAL = 60, 8, 5, 0.5, 2.0
TINY_PATH = "/bench/petite-vue/"


# ---------------------------------------------------------------- calendar scaling (in-process)

def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
    django.setup()


def _create_events(agenda, count, start_index):
    import datetime

    import recurrence
    from django.utils import timezone

    from ateliers.models import EventPage
    from ateliers.services import sync_occurrences

    kinds = ["atelier", "balade", "formation", "chantier", "conference"]
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    for index in range(start_index, start_index + count):
        event = EventPage(
            title=f"Activité {index}", slug=f"activite-{index}", kind=kinds[index % 5], place_name="La Grange",
            first_date=timezone.localdate() + datetime.timedelta(days=1), start_time=datetime.time(9 + index % 9),
            recurrence=recurrence.deserialize(f"RRULE:FREQ=WEEKLY;BYDAY={days[index % 7]}", include_dtstart=False),
            capacity=12,
        )
        agenda.add_child(instance=event)
        sync_occurrences(event, horizon_days=365)


def _measure(client, url, runs=5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up (template and URL caches)
        client.get(url)
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
    _setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    from ateliers.models import AgendaPage, Occurrence
    from biodiversitheque.portal.site_structure import ensure_site_structure
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
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
            print(f"  {count} activités répétées chaque semaine sur un an : {Occurrence.objects.count()} dates",
                  flush=True)
            results[count] = {name: _measure(client, url) for name, url in urls.items()}
        print(f"  {'vue':<16}{'5 activités':>16}{'500 activités':>16}{'ratio':>8}{'requêtes SQL':>16}")
        for name in urls:
            (small, q_small, _s), (big, q_big, size) = results[5][name], results[500][name]
            print(f"  {name:<16}{small * 1000:>13.1f} ms{big * 1000:>13.1f} ms{big / small:>8.2f}"
                  f"{q_small:>9} → {q_big:<4}  ({size // 1024} Ko)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()  # the next benchmark module sets it up again


# ---------------------------------------------------------------- registration rush (gunicorn + PostgreSQL)

PREPARE = """
import datetime
from django.utils import timezone
from biodiversitheque.portal.site_structure import ensure_site_structure
from ateliers.models import AgendaPage, EventPage
home = ensure_site_structure()
agenda = AgendaPage(title="Agenda", slug="agenda")
home.add_child(instance=agenda)
agenda.save_revision().publish()
event = EventPage(title="Ruée", slug="ruee", place_name="La Grange", capacity=%d, max_places_per_registration=1,
                  first_date=timezone.localdate() + datetime.timedelta(days=3), registration_opens_days=None)
agenda.add_child(instance=event)
event.save_revision().publish()
# A second activity with room for every registration the throughput measure sends.
roomy = EventPage(title="Débit", slug="debit", place_name="La Grange", capacity=100000, max_places_per_registration=1,
                  first_date=timezone.localdate() + datetime.timedelta(days=3), registration_opens_days=None)
agenda.add_child(instance=roomy)
roomy.save_revision().publish()
print(roomy.occurrences.get().get_registration_url())
print(event.occurrences.get().get_registration_url())
"""

COUNT = """
from django.db.models import Sum
from ateliers.models import Registration, OutgoingEmail
rush = Registration.objects.filter(occurrence__event__slug="ruee")  # not the throughput measure's activity
print(rush.filter(status="confirmed").aggregate(s=Sum("places"))["s"], rush.filter(status="waiting").count(),
      OutgoingEmail.objects.count(), OutgoingEmail.objects.filter(status="sent").count())
"""


def _manage(env, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True,
        check=True, timeout=600,
    ).stdout


def bench_rush():
    import psycopg
    import requests

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        print("  PostgreSQL injoignable sur 127.0.0.1:5432 : ruée non mesurée.")
        return
    with admin:
        admin.execute("DROP DATABASE IF EXISTS biodiv_bench WITH (FORCE)")
        admin.execute("CREATE DATABASE biodiv_bench")
    # As in production: e-mails queued in the database, sent by a separate `db_worker` process.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench", "DATABASE_URL": PG_BENCH_URL,
           "DATABASE_CONN_MAX_AGE": "60", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           # All 200 requests come from 127.0.0.1: the per-address limit would answer most with 429.
           "RATELIMIT_ENABLE": "false"}
    _manage(env, "migrate", "--noinput")
    roomy_path, path = _manage(env, "shell", "-c", PREPARE % RUSH_CAPACITY).strip().splitlines()[-2:]
    base = f"http://127.0.0.1:{RUSH_PORT}"
    url = f"{base}{path}"
    # gunicorn's advice: about two workers per core; threads overlap the waits on the database.
    workers = str(min(8, (os.cpu_count() or 2) * 2))
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "bench.wsgi", "-b", f"127.0.0.1:{RUSH_PORT}",
         "-w", workers, "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):  # bounded wait for the server
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
            barrier.wait(timeout=60)
            started = time.perf_counter()
            try:
                response = session.post(
                    url,
                    data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "name": f"Personne {index}",
                          "email": f"p{index}@example.org", "places": "1", "consent": "on",
                          **({"waiting_list": "on"} if index % 2 else {})},
                    headers={"Referer": url}, allow_redirects=False, timeout=60,
                )
                status = response.status_code
            except requests.RequestException as error:
                status = repr(error)
            outcomes.append((status, time.perf_counter() - started))

        started = time.perf_counter()
        with ThreadPoolExecutor(RUSH_REQUESTS) as pool:
            list(pool.map(post, range(RUSH_REQUESTS)))
        elapsed = time.perf_counter() - started
        server.terminate()
        for _ in range(120):  # the worker sends the queued e-mails (bounded wait)
            confirmed, waiting, emails, sent = _manage(env, "shell", "-c", COUNT).strip().splitlines()[-1].split()
            if sent == emails:
                break
            time.sleep(1)
        drained = time.perf_counter() - started
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    statuses = [status for status, _ in outcomes]
    errors = sum(1 for status in statuses if not isinstance(status, int) or status >= 500)
    print(f"  {RUSH_REQUESTS} inscriptions simultanées pour {RUSH_CAPACITY} places (gunicorn {workers} workers × 4 "
          f"threads, PostgreSQL)")
    durations = sorted(duration for _, duration in outcomes)
    print(f"  {RUSH_REQUESTS / elapsed:.0f} inscriptions/s ; temps de réponse : médiane {statistics.median(durations):.2f} s, "
          f"95e centile {durations[int(len(durations) * 0.95) - 1]:.2f} s, maximum {durations[-1]:.2f} s")
    print(f"  réponses : {statuses.count(302)} acceptées (confirmées ou en attente), {statuses.count(400)} refusées "
          f"avec message (complet), erreurs : {errors}")
    if errors:
        print("  erreurs :", sorted({str(status)[:120] for status in statuses if not isinstance(status, int) or status >= 500}))
    print(f"  places confirmées : {confirmed} (attendu {RUSH_CAPACITY}), en liste d'attente : {waiting}")
    accepted = statuses.count(302)
    overbooked = max(0, int(confirmed or 0) - RUSH_CAPACITY)
    # Lost: an answer that is neither accepted nor refused with a message, or an accepted one with no row.
    registered = int(confirmed or 0) + int(waiting)
    lost = errors + sum(1 for status in statuses if isinstance(status, int) and status not in (302, 400))
    lost += max(0, accepted - registered)
    p95 = durations[int(len(durations) * 0.95) - 1]
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
    bench_calendar()
    bench_rush()


if __name__ == "__main__":
    run()
