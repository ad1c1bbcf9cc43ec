"""Public pages: server time and SQL query count of each page type with the demo content, then with
BENCH_PAGES_FACTOR (default 50) times more content, generated. Each page is timed alternately with a bare
Wagtail page (a plain `wagtailcore.Page`, one-line template), so that its ratio to that page, at demo size and
at 50×, is measured under the same load.

In-process, on a throwaway test database, through Django's test client (no network, no static files): a
median of RUNS pairs after a warm-up. The generated content copies the demo pages (same fields, new slugs) and
saves them with computed tree paths, which skips treebeard's per-insert look-ups (`add_child` costs ~40 ms a page);
observations, occurrences and associations are bulk-inserted; the site search index is then rebuilt.
"""

import os
import time
import uuid

FACTOR = int(os.environ.get("BENCH_PAGES_FACTOR", "50"))
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "7"))


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


def _against_bare(client, url, bare):
    """Interleaved with the bare Wagtail page: (comparison, queries)."""
    from bench.harness import interleaved

    queries = _queries(client, url)
    return interleaved(lambda: client.get(url), lambda: client.get(bare), pairs=RUNS), queries


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

    from bench.harness import goal
    from demo.loader import load_demo

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    template_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    templates = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    try:
        # Many requests from one address: not what is measured.
        with override_settings(RATELIMIT_ENABLE=False, TEMPLATES=templates):
            load_demo(lambda *args: None)
            urls = _urls()
            bare, shell = _bare_pages(template_dir)
            client = Client()
            bare_queries = _queries(client, bare)
            shell_queries = _queries(client, shell) - bare_queries
            demo = {name: _against_bare(client, url, bare) for name, url in urls.items()}
            started = time.perf_counter()
            counts = _generate(FACTOR - 1)
            elapsed = time.perf_counter() - started
            print(f"  contenu × {FACTOR} généré en {elapsed:.0f} s : "
                  + ", ".join(f"+{count} {label}" for label, count in counts.items()), flush=True)
            big = {name: _against_bare(client, url, bare) for name, url in urls.items()}
        print(f"  chaque page alternée avec une page Wagtail nue ({bare_queries} requêtes SQL), {RUNS} paires ;"
              f" ratio = temps de la page / temps de la page nue (médiane des paires)")
        print(f"  {'page':<16}{'SQL démo':>9}{f'SQL ×{FACTOR}':>9}{'démo':>11}{'÷ nue':>7}{f'×{FACTOR}':>11}"
              f"{'÷ nue':>7}{'croissance':>11}")
        growths, worst_demo, unstable = {}, {}, []
        for name in urls:
            (small, small_queries), (large, large_queries) = demo[name], big[name]
            growths[name] = large.ratio / small.ratio  # both against the same bare page, measured at the time
            worst_demo[name] = small.ratio
            if small_queries != large_queries:
                unstable.append(name)
            print(f"  {name:<16}{small_queries:>9}{large_queries:>9}{small.median_a * 1000:>8.1f} ms"
                  f"{small.ratio:>7.2f}{large.median_a * 1000:>8.1f} ms{large.ratio:>7.2f}{growths[name]:>11.2f}")
        slowest = max(worst_demo, key=worst_demo.get)
        fastest_growth = max(growths, key=growths.get)
        goal("Coquille de page (menu, pied, réglages)", "≤ 4 requêtes SQL", f"{shell_queries} requêtes",
             shell_queries <= 4)
        goal("Chaque type de page, contenu de démo", "≤ 2 × une page Wagtail nue",
             f"{worst_demo[slowest]:.2f} × ({slowest})", worst_demo[slowest] <= 2)
        goal(f"Requêtes SQL à × {FACTOR} de contenu", "constantes", "constantes" if not unstable else
             "variables : " + ", ".join(unstable), not unstable)
        goal(f"Temps à × {FACTOR} de contenu", "≤ 1,3 × le temps avec la démo",
             f"{growths[fastest_growth]:.2f} × ({fastest_growth})", growths[fastest_growth] <= 1.3)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()  # the next benchmark module sets it up again


def run():
    bench_public_pages()


if __name__ == "__main__":
    run()
