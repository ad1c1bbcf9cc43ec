"""Public pages: server time and SQL query count of each public page type, with the demo content and with
BENCH_PAGES_FACTOR (default 50) times more content, generated.

Two SQLite databases, in one process: the demo one, and a copy of it to which the generated content is added.
Every ratio is measured interleaved (A, B, A, B…, `bench.harness.interleaved`), so that a load that comes and
goes on this shared machine weighs on both sides: each page against a bare Wagtail page (a plain
`wagtailcore.Page`, one-line template) on the demo database, and each page at 50× against the same page on the
demo database, the default connection and cache being switched between the two for every request.

Through Django's test client (no network, no static files), median of RUNS pairs after a warm-up. The generated
content copies the demo pages (same fields, new slugs) and saves them with computed tree paths, which skips
treebeard's per-insert look-ups; observations, dates, associations and lending units are bulk-inserted; the
site search index is then rebuilt once (Wagtail's own index is not updated on each copy).
"""

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

    for _ in range(2):
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


def _copy_pages(sources, copies, slug_prefix):
    """`copies` copies of each source page, as siblings of it, live, with the same field values."""
    from django.utils import timezone
    from wagtail.models import Page

    now = timezone.now()
    by_parent = {}
    for source in sources:
        by_parent.setdefault(source.get_parent().pk, []).append(source)
    created = []
    for parent_pk, group in by_parent.items():
        parent = Page.objects.get(pk=parent_pk)
        last = parent.get_last_child()
        step = Page._str2int(last.path[-Page.steplen:])
        for number in range(copies):
            for source in group:
                step += 1
                themes = list(source.themes.all())
                copy = type(source).objects.get(pk=source.pk)
                for model in (type(copy), *type(copy)._meta.get_parent_list()):  # every multi-table link
                    for field in model._meta.parents.values():
                        setattr(copy, field.attname, None)
                copy.pk = copy.id = None
                copy.translation_key = uuid.uuid4()
                copy._state.adding = True
                copy.slug = f"{slug_prefix}-{number}-{source.slug}"[:255]
                copy.title = f"{source.title} ({number + 2})"
                copy.path = Page._get_path(parent.path, parent.depth + 1, step)
                copy.depth = parent.depth + 1
                copy.numchild = 0
                copy.url_path = f"{parent.url_path}{copy.slug}/"
                copy.live, copy.has_unpublished_changes = True, False
                copy.first_published_at = copy.last_published_at = now
                copy.latest_revision = copy.live_revision = None
                copy.draft_title = copy.title
                copy.themes.set(themes)  # parental: written by the save below
                copy.save(clean=False)
                created.append((source, copy))
        Page.objects.filter(pk=parent_pk).update(numchild=Page.objects.child_of(parent).count())
    return created


def _generate(copies):
    """`copies` more of each demo guide, inventory (with its observations), training, event (with its dates)
    and association."""
    from django.db import transaction

    from associations.models import Association
    from ateliers.models import EventPage, Occurrence
    from biodiversitheque.search import services as search
    from prets.models import SeedVarietyPage, ThingPage, Unit
    from ressources.models import GuidePage, InventoryPage, Observation, TrainingPage

    counts = {}
    with transaction.atomic():
        associations = list(Association.objects.all())
        clones = []
        for number in range(copies):
            for association in associations:
                clone = Association.objects.get(pk=association.pk)
                clone.pk = clone.members_group_id = clone.collection_id = None  # no members' space nor collection
                clone.name = f"{association.name} ({number + 2})"
                clone.slug = f"g{number}-{association.slug}"[:50]
                clones.append(clone)
        Association.objects.bulk_create(clones, batch_size=500)
        counts["associations"] = len(clones)
        for label, model in (("guides", GuidePage), ("formations", TrainingPage)):
            counts[label] = len(_copy_pages(list(model.objects.live()), copies, "g"))
        inventories = _copy_pages(list(InventoryPage.objects.live()), copies, "g")
        counts["inventaires"] = len(inventories)
        observations = []
        for source, copy in inventories:
            for observation in Observation.objects.filter(inventory=source):
                observation.pk, observation.inventory_id, observation.sinp_id = None, copy.pk, uuid.uuid4()
                observations.append(observation)
        Observation.objects.bulk_create(observations, batch_size=1000)
        counts["observations"] = len(observations)
        events = _copy_pages(list(EventPage.objects.live()), copies, "g")
        counts["activités"] = len(events)
        occurrences = []
        for source, copy in events:
            for occurrence in Occurrence.objects.filter(event=source):
                occurrence.pk, occurrence.event_id, occurrence.uid = None, copy.pk, uuid.uuid4()
                occurrence.confirmed_places = occurrence.waiting_places = 0
                occurrences.append(occurrence)
        Occurrence.objects.bulk_create(occurrences, batch_size=1000)
        counts["dates"] = len(occurrences)
        things = _copy_pages(list(ThingPage.objects.live()), copies, "g")
        counts["objets"] = len(things)
        units = []
        for source, copy in things:
            for unit in Unit.objects.filter(thing=source):
                unit.pk, unit.thing_id, unit.code = None, copy.pk, f"{unit.code}-{copy.pk}"[:40]
                units.append(unit)
        Unit.objects.bulk_create(units, batch_size=1000)
        counts["exemplaires"] = len(units)
        counts["variétés"] = len(_copy_pages(list(SeedVarietyPage.objects.live()), copies, "g"))
    search.rebuild(progress=lambda *args, **kwargs: None)
    return counts


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

    from bench.harness import goal, interleaved
    from demo.loader import load_demo

    module_started = time.perf_counter()
    if connection.vendor != "sqlite":
        # Two databases switched per request: SQLite copies one with its backup API.
        print("  banc des pages sauté : il compare deux bases SQLite, lancez-le sans DATABASE_URL PostgreSQL")
        return
    setup_test_environment()
    directory = Path(tempfile.mkdtemp(prefix="bench-pages-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    connection.settings_dict.setdefault("TEST", {})["NAME"] = str(directory / "small.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    template_dir = directory / "templates"
    templates = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    # The site search has its own index, rebuilt once after generation; Wagtail's is not read by public pages.
    quiet_search = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
    databases = None
    try:
        # Many requests from one address: not what is measured.
        with override_settings(RATELIMIT_ENABLE=False, TEMPLATES=templates, WAGTAILSEARCH_BACKENDS=quiet_search):
            started = time.perf_counter()
            load_demo(lambda *args: None)
            urls = _urls()
            bare, shell = _bare_pages(template_dir)
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
                against_bare = interleaved(_get(client, databases, "small", url),
                                           _get(client, databases, "small", bare), pairs=RUNS)
                growth = interleaved(_get(client, databases, "big", url),
                                     _get(client, databases, "small", url), pairs=RUNS)
                rows[name] = (small_queries, large_queries, against_bare, growth)
        elapsed = time.perf_counter() - module_started
        print(f"  page Wagtail nue : {bare_queries} requêtes SQL ; coquille du projet (menu, pied, réglages) :"
              f" +{shell_queries} ; {RUNS} paires alternées par ratio (médiane, de min à max)")
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
        goal("Durée du banc des pages", f"≤ {BUDGET_SECONDS} s", f"{elapsed:.0f} s", elapsed <= BUDGET_SECONDS)
    finally:
        if databases is not None:
            databases.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()  # the next benchmark module sets it up again
        shutil.rmtree(directory, ignore_errors=True)


def run():
    bench_public_pages()


if __name__ == "__main__":
    run()
