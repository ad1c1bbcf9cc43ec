"""Public pages: server time and SQL query count of each public page type, with the demo content and with
BENCH_PAGES_FACTOR (default 50) times more content, generated.

Two SQLite databases, in one process: the demo one (a copy of the migrated template, bench.templates), and a
copy of it to which the generated content is added.
Every ratio is measured interleaved (`bench.harness.interleaved_rounds`): each round requests the page on the
demo database, the same page at 50x and a bare Wagtail page (a plain `wagtailcore.Page`, one-line template), in
an order rotated from one round to the next, so that a load that comes and goes on this shared machine weighs on
all three; both ratios (page / bare page, 50x / demo) are taken within a round. The default connection and cache
are switched between the two databases for every request.

Through Django's test client (no network, no static files), median of RUNS rounds after the query-count
requests have warmed every page. The demo is loaded once, with Wagtail's reference index (read by the admin
only) and the site search left alone during the load, the site search being rebuilt once afterwards. The
generated content copies the demo pages (same fields, same themes and audiences, new slugs, live): their
wagtailcore_page rows are bulk-inserted with computed tree paths, and every other table (page type tables,
observations, dates, lending units, theme links) is copied by one INSERT ... SELECT per table, in one
transaction; the site search index is then rebuilt once (Wagtail's own index is not read by public pages).
"""

import contextlib
import os
import shutil
import sqlite3
import time
import uuid

FACTOR = int(os.environ.get("BENCH_PAGES_FACTOR", "50"))
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "5"))
BUDGET_SECONDS = 150  # the whole module, on a 2-core machine


def _queries(client, url):
    """SQL queries of one request, after a warm-up (template loading, URL and content-type caches)."""
    from django.db import connection

    client.get(url)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper sees every query, whatever DEBUG and the query log's state.
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


_PAIRS = "bench_copy_pairs"


def _copy_rows(model, link, pairs, replaced=None):
    """Copy, in one INSERT … SELECT, the rows of `model` whose column `link` points at a source of `pairs`
    ([(source id, copy id)]), once per copy, pointing at the copy. `replaced`: {column: SQL expression} for
    the columns that must differ (unique codes); an auto primary key gets new values. SQLite only (the bench
    refuses other engines), and no per-row Python: StreamFields are copied as stored."""
    from django.db import connection

    meta = model._meta
    columns = [field.column for field in meta.local_concrete_fields
               if not (field.primary_key and field.column != link)]
    replaced = {link: "pairs.copy_id", **(replaced or {})}
    selected = ", ".join(replaced.get(column, f'source."{column}"') for column in columns)
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_PAIRS}")
        cursor.executemany(f"INSERT INTO {_PAIRS} (source_id, copy_id) VALUES (%s, %s)", pairs)
        cursor.execute(
            f'INSERT INTO "{meta.db_table}" ({names}) '
            f'SELECT {selected} FROM "{meta.db_table}" AS source JOIN {_PAIRS} AS pairs '
            f'ON source."{link}" = pairs.source_id ORDER BY pairs.copy_id'
        )
        return cursor.rowcount


def _copy_pages(sources, copies, slug_prefix):
    """`copies` copies of each source page, as siblings of it, live, with the same field values and the same
    themes and audiences. Only the wagtailcore_page rows are built in Python (new slugs and computed tree
    paths, instead of treebeard's add_child and Wagtail's save, ≈ 0.1 s a page); the other tables of the page
    type are copied by SQL."""
    import copy as copying

    from django.utils import timezone
    from wagtail.models import Page

    if not sources:
        return []
    now = timezone.now()
    model = type(sources[0])
    by_parent = {}
    for source in sources:
        by_parent.setdefault(source.get_parent().pk, []).append(source)
    created = []
    for parent_pk, group in by_parent.items():
        parent = Page.objects.get(pk=parent_pk)
        step = Page._str2int(parent.get_last_child().path[-Page.steplen:])
        for number in range(copies):
            for source in group:
                step += 1
                page = Page(**{field.attname: getattr(source, field.attname) for field in Page._meta.concrete_fields
                               if not field.primary_key})
                page.slug = f"{slug_prefix}-{number}-{source.slug}"[:255]
                page.title = page.draft_title = f"{source.title} ({number + 2})"
                page.path = Page._get_path(parent.path, parent.depth + 1, step)
                page.depth, page.numchild = parent.depth + 1, 0
                page.url_path = f"{parent.url_path}{page.slug}/"
                page.translation_key = uuid.uuid4()
                page.live, page.has_unpublished_changes = True, False
                page.first_published_at = page.last_published_at = now
                page.latest_revision_id = page.live_revision_id = None
                created.append((source, page))
        Page.objects.filter(pk=parent_pk).update(numchild=parent.numchild + copies * len(group))
    Page.objects.bulk_create([page for _, page in created], batch_size=500)
    pairs = [(source.pk, page.pk) for source, page in created]
    for klass in [*reversed(model._meta.get_parent_list()), model][1:]:  # the tables under wagtailcore_page
        _copy_rows(klass, klass._meta.pk.column, pairs)
    for name in ("themes", "audiences"):
        field = model._meta.get_field(name)
        _copy_rows(field.remote_field.through, field.m2m_column_name(), pairs)
    return pairs


def _generate(copies):
    """`copies` more of each demo guide, inventory (with its observations), training, event (with its dates),
    lendable thing (with its units), seed variety and association, in one transaction."""
    from django.db import connection, transaction

    from associations.models import Association
    from ateliers.models import EventPage, Occurrence
    from biodiversitheque.search import services as search
    from prets.models import SeedVarietyPage, ThingPage, Unit
    from ressources.models import GuidePage, InventoryPage, Observation, TrainingPage

    new_uuid = "lower(hex(randomblob(16)))"  # a UUIDField as SQLite stores it
    counts = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_PAIRS} (source_id integer, copy_id integer)")
        associations = list(Association.objects.all())
        clones = []
        for number in range(copies):
            for association in associations:
                clone = Association(**{field.attname: getattr(association, field.attname)
                                       for field in Association._meta.concrete_fields if not field.primary_key})
                clone.members_group_id = clone.collection_id = None  # no members' space nor collection
                clone.name = f"{association.name} ({number + 2})"
                clone.slug = f"g{number}-{association.slug}"[:50]
                clones.append(clone)
        Association.objects.bulk_create(clones, batch_size=500)  # no signal: no members' space nor folder
        pairs = [(associations[index % len(associations)].pk, clone.pk) for index, clone in enumerate(clones)]
        _copy_rows(Association.themes.through, "association_id", pairs)
        counts["associations"] = len(clones)
        for label, model in (("guides", GuidePage), ("formations", TrainingPage)):
            counts[label] = len(_copy_pages(list(model.objects.live()), copies, "g"))
        inventories = _copy_pages(list(InventoryPage.objects.live()), copies, "g")
        counts["inventaires"] = len(inventories)
        counts["observations"] = _copy_rows(Observation, "inventory_id", inventories, {"sinp_id": new_uuid})
        events = _copy_pages(list(EventPage.objects.live()), copies, "g")
        counts["activités"] = len(events)
        counts["dates"] = _copy_rows(Occurrence, "event_id", events, {
            "uid": new_uuid, "confirmed_places": "0", "waiting_places": "0"})
        things = _copy_pages(list(ThingPage.objects.live()), copies, "g")
        counts["objets"] = len(things)
        counts["exemplaires"] = _copy_rows(Unit, "thing_id", things, {
            "code": "substr(source.code || '-' || pairs.copy_id, 1, 40)"})
        counts["variétés"] = len(_copy_pages(list(SeedVarietyPage.objects.live()), copies, "g"))
    search.rebuild(progress=lambda *args, **kwargs: None)
    return counts


@contextlib.contextmanager
def _indexes_deferred():
    """While the demo loads: neither Wagtail's reference index (read by the admin only) nor the site search is
    updated on every save (≈ 40 % of the loading time); the site search is rebuilt once afterwards."""
    from unittest import mock

    from wagtail.signal_handlers import disable_reference_index_auto_update

    from biodiversitheque.search import services as search

    with disable_reference_index_auto_update(), mock.patch.object(search, "reindex", lambda obj: None), \
            mock.patch.object(search, "schedule_reindex", lambda obj: None), \
            mock.patch.object(search, "reindex_subtree", lambda page: None):
        yield


def _urls():
    from django.utils import timezone

    from associations.models import Association, AssociationIndexPage
    from ateliers.models import AgendaPage, EventPage, Occurrence
    from demarches.calls.models import CallIndexPage, CallPage
    from demarches.permits.models import GreeningCampaignPage
    from prets.models import LendingCatalogPage, SeedLibraryPage, SeedVarietyPage, ThingPage
    from ressources.models import GuidePage, InventoryPage, ResourceIndexPage, SpeciesIndexPage, Taxon, TrainingPage

    today = timezone.localdate()
    species_index = SpeciesIndexPage.objects.live().get()
    taxon = Taxon.objects.observed().order_by("pk").first()
    agenda = AgendaPage.objects.live().get()
    occurrence = Occurrence.objects.public().upcoming().filter(event__capacity__gt=0).order_by("start", "pk").first()
    directory = AssociationIndexPage.objects.live().get()
    association = Association.objects.order_by("pk").first()
    campaign = GreeningCampaignPage.objects.live().order_by("pk").first()
    urls = {
        "accueil": "/",
        "ressources": ResourceIndexPage.objects.live().get().url,
        "guide": GuidePage.objects.live().order_by("pk").first().url,
        "inventaire": InventoryPage.objects.live().order_by("pk").first().url,
        "formation": TrainingPage.objects.live().order_by("pk").first().url,
        "espèces": species_index.url,
        "fiche espèce": species_index.url_for_taxon(taxon),
        "agenda (liste)": agenda.url,
        "agenda (mois)": f"{agenda.url}mois/{today.year}/{today.month}/",
        "activité": EventPage.objects.live().order_by("pk").first().url,
        "inscription": occurrence.get_registration_url(),
        "annuaire": directory.url,
        "association": association.get_url(),
        "permis": campaign.url,
        "demande de permis": f"{campaign.url}demande/",
        "appels": CallIndexPage.objects.live().order_by("pk").first().url,
        "appel": CallPage.objects.live().order_by("pk").first().url,
        "outilthèque": LendingCatalogPage.objects.live().order_by("pk").first().url,
        "objet": ThingPage.objects.live().order_by("pk").first().url,
        "grainothèque": SeedLibraryPage.objects.live().order_by("pk").first().url,
        "variété": SeedVarietyPage.objects.live().order_by("pk").first().url,
        "recherche": "/recherche/?q=mare",
    }
    return urls


def _bare_pages(template_dir):
    """A plain `wagtailcore.Page` with a one-line template (what Wagtail costs alone) and the project's own
    simplest page (the shell every page pays: menu, footer, settings)."""
    from wagtail.models import Page

    from biodiversitheque.core.models import StandardPage
    from biodiversitheque.portal.site_structure import ensure_site_structure
    (template_dir / "wagtailcore").mkdir(parents=True, exist_ok=True)
    (template_dir / "wagtailcore" / "page.html").write_text(
        "<!doctype html><html lang=fr><title>{{ page.title }}</title><h1>{{ page.title }}</h1></html>"
    )
    home = ensure_site_structure()
    bare = home.add_child(instance=Page(title="Page Wagtail nue", slug="page-wagtail-nue-bench"))
    shell = StandardPage(title="Page simple", slug="page-simple-bench")
    home.add_child(instance=shell)
    shell.save_revision().publish()
    return bare.url, shell.url


class TwoDatabases:
    """The demo database and its copy with the generated content, each with its own cache (page shell, site
    root paths…), switched for every request: `django.db.connection` and `django.core.cache.cache` follow."""

    def __init__(self, directory):
        from django.core.cache import caches
        from django.core.cache.backends.locmem import LocMemCache
        from django.db import connections
        from django.db.utils import load_backend

        small = connections["default"]
        small.settings_dict["CONN_MAX_AGE"] = None  # one connection kept open for the whole run
        small.ensure_connection()
        big_path = directory / "big.sqlite3"
        target = sqlite3.connect(big_path)
        small.connection.backup(target)
        target.close()
        settings_dict = {**small.settings_dict, "NAME": str(big_path)}
        big = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
        self.connections = {"small": small, "big": big}
        self.caches = {name: LocMemCache(f"bench-pages-{name}", {}) for name in self.connections}
        self.original_cache = caches["default"]

    def use(self, name):
        from django.core.cache import caches
        from django.db import connections

        connections["default"] = self.connections[name]
        caches["default"] = self.caches[name]

    def close(self):
        from django.core.cache import caches

        self.use("small")
        self.connections["big"].close()
        caches["default"] = self.original_cache


def _get(client, databases, name, url):
    def request():
        databases.use(name)
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)

    return request


def bench_public_pages():
    import tempfile
    from pathlib import Path

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment, teardown_test_environment

    from bench.harness import Comparison, goal, interleaved_rounds
    from bench.templates import copy_migrated
    from biodiversitheque.search import services as search
    from biodiversitheque.search import statistics as search_statistics
    from demo.loader import load_demo

    module_started, module_cpu = time.perf_counter(), time.process_time()
    if connection.vendor != "sqlite":
        # Two databases switched per request: SQLite copies one with its backup API.
        print("  banc des pages sauté : il compare deux bases SQLite, lancez-le sans DATABASE_URL PostgreSQL")
        return
    setup_test_environment()
    directory = Path(tempfile.mkdtemp(prefix="bench-pages-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    # The demo database: a copy of the migrated template (bench.templates), not create_test_db's migrate
    # (≈ 47 s of CPU) nor its serialisation of the database, which nothing here reads.
    small_path = directory / "small.sqlite3"
    copy_migrated(small_path, {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE})
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = str(small_path)
    template_dir = directory / "templates"
    templates = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    # The site search has its own index, rebuilt once after generation; Wagtail's is not read by public pages.
    quiet_search = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
    databases = None
    try:
        # Many requests from one address: not what is measured.
        with override_settings(RATELIMIT_ENABLE=False, TEMPLATES=templates, WAGTAILSEARCH_BACKENDS=quiet_search):
            started = time.perf_counter()
            with _indexes_deferred():
                load_demo(lambda *args: None)
                bare, shell = _bare_pages(template_dir)
            search.rebuild(progress=lambda *args, **kwargs: None)
            urls = _urls()
            print(f"  contenu de démonstration chargé en {time.perf_counter() - started:.0f} s", flush=True)
            databases = TwoDatabases(directory)
            databases.use("big")
            started = time.perf_counter()
            counts = _generate(FACTOR - 1)
            print(f"  contenu × {FACTOR} généré en {time.perf_counter() - started:.0f} s : "
                  + ", ".join(f"+{count} {label}" for label, count in counts.items()), flush=True)
            client = Client()
            databases.use("small")
            bare_queries = _queries(client, bare)
            shell_queries = _queries(client, shell) - bare_queries
            rows = {}
            for name, url in urls.items():
                databases.use("small")
                small_queries = _queries(client, url)
                databases.use("big")
                large_queries = _queries(client, url)
                # One round: the page on each database and the bare page, in an order rotated from one round
                # to the next; both ratios are taken within a round (same load). _queries warmed them all.
                times = interleaved_rounds({
                    "demo": _get(client, databases, "small", url), "big": _get(client, databases, "big", url),
                    "bare": _get(client, databases, "small", bare),
                }, pairs=RUNS, warmup=0)
                against_bare = Comparison(times["demo"], times["bare"])
                growth = Comparison(times["big"], times["demo"])
                rows[name] = (small_queries, large_queries, against_bare, growth)
        elapsed, cpu = time.perf_counter() - module_started, time.process_time() - module_cpu
        print(f"  page Wagtail nue : {bare_queries} requêtes SQL ; coquille du projet (menu, pied, réglages) :"
              f" +{shell_queries} ; {RUNS} tours alternés (page démo, page × {FACTOR}, page nue, ordre tourné à"
              " chaque tour), ratios pris dans un même tour (médiane, de min à max)")
        print(f"  {'page':<19}{'SQL démo':>9}{f'SQL ×{FACTOR}':>9}{'démo':>10}  {'÷ page nue':<27}"
              f"{f'×{FACTOR}':>9}  {f'×{FACTOR} ÷ démo':<27}")
        for name, (small_queries, large_queries, against_bare, growth) in rows.items():
            print(f"  {name:<19}{small_queries:>9}{large_queries:>9}{against_bare.median_a * 1000:>7.1f} ms"
                  f"  {against_bare.describe():<27}{growth.median_a * 1000:>6.1f} ms  {growth.describe():<27}")
        slowest = max(rows, key=lambda name: rows[name][2].ratio)
        fastest_growth = max(rows, key=lambda name: rows[name][3].ratio)
        worst_ratio, worst_growth = rows[slowest][2].ratio, rows[fastest_growth][3].ratio
        unstable = [name for name, row in rows.items() if row[0] != row[1]]
        goal("Coquille de page (menu, pied, réglages)", "≤ 4 requêtes SQL", f"{shell_queries} requêtes",
             shell_queries <= 4)
        goal("Chaque type de page, contenu de démo", "≤ 2 × une page Wagtail nue",
             f"{worst_ratio:.2f} × ({slowest})".replace(".", ","), worst_ratio <= 2)
        goal(f"Requêtes SQL à × {FACTOR} de contenu", "constantes", "constantes" if not unstable else
             "variables : " + ", ".join(unstable), not unstable)
        goal(f"Temps à × {FACTOR} de contenu", "≤ 1,3 × le temps avec la démo",
             f"{worst_growth:.2f} × ({fastest_growth})".replace(".", ","), worst_growth <= 1.3)
        # Wall time is the goal; the CPU time of the process is printed beside it because other jobs share this
        # machine (on a quiet machine the two are close: one process, no waiting on I/O).
        goal("Durée du banc des pages", f"≤ {BUDGET_SECONDS} s",
             f"{elapsed:.0f} s (CPU {cpu:.0f} s)", elapsed <= BUDGET_SECONDS)
    finally:
        if databases is not None:
            databases.close()
        # The searches of the "recherche" rows are counted in memory: written now, while their database exists.
        search_statistics.flush_safely()
        connection.close()
        teardown_test_environment()  # the next benchmark module sets it up again
        shutil.rmtree(directory, ignore_errors=True)


def run():
    bench_public_pages()


if __name__ == "__main__":
    run()
