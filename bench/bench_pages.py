"""Public pages: server time and SQL query count of each page type with the demo content, then with
BENCH_PAGES_FACTOR (default 50) times more content, generated; and the slowest page against a bare Wagtail page
rendering the same base template.

In-process, on a throwaway test database, through Django's test client (no network, no static files): a
median of RUNS requests after a warm-up. The generated content copies the demo pages (same fields, new slugs) and
saves them with computed tree paths, which skips treebeard's per-insert look-ups (`add_child` costs ~40 ms a page);
observations, occurrences and associations are bulk-inserted; the site search index is then rebuilt.
"""

import os
import statistics
import time
import uuid

FACTOR = int(os.environ.get("BENCH_PAGES_FACTOR", "50"))
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "7"))


def _measure(client, url):
    from django.db import connection

    for _ in range(2):  # warm-up: template loading, URL and content-type caches
        client.get(url)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper sees every query, whatever DEBUG and the query log's state.
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(queries)


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
    from ressources.models import GuidePage, InventoryPage, Observation, TrainingPage

    counts = {}
    with transaction.atomic():
        associations = list(Association.objects.all())
        clones = []
        for number in range(copies):
            for association in associations:
                clone = Association.objects.get(pk=association.pk)
                clone.pk, clone.members_group_id = None, None  # no members' space for generated ones
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
                observation.pk, observation.inventory_id = None, copy.pk
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
    search.rebuild(progress=lambda *args, **kwargs: None)
    return counts


def _urls():
    from django.utils import timezone

    from associations.models import Association, AssociationIndexPage
    from ateliers.models import AgendaPage, EventPage, Occurrence
    from ressources.models import GuidePage, InventoryPage, ResourceIndexPage, SpeciesIndexPage, Taxon, TrainingPage

    today = timezone.localdate()
    species_index = SpeciesIndexPage.objects.live().get()
    taxon = Taxon.objects.observed().order_by("pk").first()
    agenda = AgendaPage.objects.live().get()
    occurrence = Occurrence.objects.public().upcoming().filter(event__capacity__gt=0).order_by("start", "pk").first()
    directory = AssociationIndexPage.objects.live().get()
    association = Association.objects.order_by("pk").first()
    return {
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
        "recherche": "/recherche/?q=mare",
    }


def _bare_page():
    from biodiversitheque.models import StandardPage
    from biodiversitheque.site_structure import ensure_site_structure

    page = StandardPage(title="Page nue", slug="page-nue-bench")
    ensure_site_structure().add_child(instance=page)
    page.save_revision().publish()
    return page.url


def bench_public_pages():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment, teardown_test_environment

    from biodiversitheque.demo import load_demo

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with override_settings(RATELIMIT_ENABLE=False):  # many requests from one address: not what is measured
            load_demo(lambda *args: None)
            urls = _urls()
            bare = _bare_page()
            client = Client()
            demo = {name: _measure(client, url) for name, url in urls.items()}
            bare_time, bare_queries = _measure(client, bare)
            started = time.perf_counter()
            counts = _generate(FACTOR - 1)
            elapsed = time.perf_counter() - started
            print(f"  contenu × {FACTOR} généré en {elapsed:.0f} s : "
                  + ", ".join(f"+{count} {label}" for label, count in counts.items()), flush=True)
            big = {name: _measure(client, url) for name, url in urls.items()}
        print(f"  médiane de {RUNS} requêtes (client de test, DEBUG off) ; requêtes SQL par page")
        print(f"  {'page':<16}{'SQL démo':>9}{f'SQL ×{FACTOR}':>9}{'démo':>11}{f'×{FACTOR}':>11}{'ratio':>7}")
        for name in urls:
            (small_time, small_queries), (big_time, big_queries) = demo[name], big[name]
            flag = "" if small_queries == big_queries else "  ≠ requêtes"
            print(f"  {name:<16}{small_queries:>9}{big_queries:>9}{small_time * 1000:>8.1f} ms{big_time * 1000:>8.1f} ms"
                  f"{big_time / small_time:>7.2f}{flag}")
        slowest = max(big, key=lambda name: big[name][0])
        print(f"  page Wagtail nue (même base.html) : {bare_queries} requêtes, {bare_time * 1000:.1f} ms ; "
              f"la plus lente ({slowest}, ×{FACTOR}) : {big[slowest][0] / bare_time:.1f} fois la page nue")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()  # the next benchmark module sets it up again


def run():
    bench_public_pages()


if __name__ == "__main__":
    run()
