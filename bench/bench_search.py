"""Site search at 200 and 20,000 generated French resources, against Wagtail's default database backend.

Each engine runs in its own process on a throwaway database: a temporary SQLite file, PostgreSQL
(database biodiv_bench_search, re-created) when it answers on 127.0.0.1:5432, and OpenSearch (the node of
`make search-node`, under an alias of its own; its index build includes sending the documents to it) when
Java is present. Our engine's rows are bulk
inserted; Wagtail's backend indexes the same texts as Association snippets (add_bulk). A Wagtail query slower
than CAP seconds is interrupted and reported as "> CAP s".
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SIZES = (200, 20_000)
CAP = 30.0
PG_URL = "postgres://postgres@127.0.0.1:5432/biodiv_bench_search"
QUERIES = {
    "mot courant": "jardin",
    "mot rare": "salamandre",
    "deux mots": "haie champêtre",
}
PREFIX = "jard"
WORDS = (
    "mare haie prairie verger potager compost nichoir abeille papillon oiseau hérisson chauve-souris arbre "
    "fleur graine semis taille fauche tonte paillage sol terreau feuille branche bois insecte coccinelle "
    "syrphe bourdon osmie mésange rougegorge moineau martinet hirondelle crapaud grenouille triton libellule "
    "ruisseau fossé berge talus lisière bocage friche pelouse massif toiture façade balcon cour école quartier "
    "commune habitant élu agent association atelier sortie balade inventaire observation comptage protocole "
    "printemps été automne hiver matin soir nuit lumière eau pluie sécheresse chaleur ombre abri refuge gîte "
    "nourriture plante vivace annuelle arbuste noisetier aubépine sureau cornouiller églantier lierre ortie ronce"
).split()


def fake_texts(count, seed=4):
    rng = random.Random(seed)
    for i in range(count):
        title_words = rng.sample(WORDS, 4)
        summary = rng.choices(WORDS, k=15)
        body = rng.choices(WORDS, k=60)
        if rng.random() < 0.9:
            body.append("jardin")
        if i % 100 == 7:
            title_words.append("salamandre")
        if i % 50 == 3:
            summary += ["haie", "champêtre"]
        yield f"Guide {i} : " + " ".join(title_words), " ".join(summary), " ".join(body)


def median_time(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def capped(connection, function):
    """Run `function`, interrupting the SQL after CAP seconds (SQLite only); None when interrupted."""
    timer = None
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        timer = threading.Timer(CAP, connection.connection.interrupt)
        timer.start()
    started = time.perf_counter()
    try:
        function()
        return time.perf_counter() - started
    except Exception:
        return None
    finally:
        if timer:
            timer.cancel()


def child(database_url):
    """Runs inside a fresh process whose DATABASE_URL is the throwaway database."""
    import django

    django.setup()
    from collections import Counter

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from associations.models import Association
    from biodiversitheque.search import services
    from biodiversitheque.search.backends import get_backend
    from biodiversitheque.search.models import SearchDocument, SearchFacet, SearchTerm
    from biodiversitheque.search.registry import Entry

    call_command("migrate", verbosity=0)
    page_type = ContentType.objects.get_for_model(Page)
    ours, wagtail = get_backend(), get_search_backend()
    figures = {"engine": ours.name, "sizes": {}}
    for size in SIZES:
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        Association.objects.all().delete()
        texts = list(fake_texts(size))
        started = time.perf_counter()
        vocabulary, shown = Counter(), {}
        pairs = []
        for i, (title, summary, body) in enumerate(texts):
            entry = Entry(kind="guide", title=title, url=f"/ressources/{i}/", summary=summary, text=body, themes=["haies"])
            pairs.append((services.build_document(entry, page_type, i + 1), entry))
        for start in range(0, size, 2000):
            services.bulk_index(pairs[start : start + 2000], vocabulary, shown)
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t, word=shown.get(t, t), frequency=n) for t, n in vocabulary.items()], batch_size=1000
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does after a bulk load: planner statistics
                cursor.execute("ANALYZE sitesearch_searchdocument")
        ours.rebuild(progress=lambda message: None)  # the search node's copy (nothing to do for the databases)
        index_ours = time.perf_counter() - started
        started = time.perf_counter()
        associations = Association.objects.bulk_create(
            [Association(name=t, slug=f"a-{i}", summary=s, description=b) for i, (t, s, b) in enumerate(texts)],
            batch_size=1000,
        )
        wagtail.add_bulk(Association, associations)
        index_wagtail = time.perf_counter() - started
        row = {"index_ours": index_ours, "index_wagtail": index_wagtail}
        for label, query in QUERIES.items():
            row[f"ours {label}"] = median_time(lambda: ours.search(query, page=1, per_page=10), 7)
            row[f"wagtail {label}"] = capped(
                connection, lambda: list(wagtail.search(query, Association.objects.all())[:10])
            )
        row["ours autocomplete"] = median_time(lambda: ours.autocomplete(PREFIX), 7)
        row["wagtail autocomplete"] = capped(
            connection, lambda: list(wagtail.autocomplete(PREFIX, Association.objects.all())[:8])
        )
        figures["sizes"][size] = row
    if ours.name == "elasticsearch":
        from django.conf import settings

        ours.client.indices.delete(index=f"{settings.SEARCH_INDEX}-*")
    print("RESULT " + json.dumps(figures))


def engines():
    urls = []
    handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-search-")
    os.close(handle)
    urls.append(("SQLite", f"sqlite:///{path}", path))
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("/biodiv_bench_search", "/postgres"), autocommit=True, connect_timeout=3) as pg:
            pg.execute("DROP DATABASE IF EXISTS biodiv_bench_search")
            pg.execute("CREATE DATABASE biodiv_bench_search")
        urls.append(("PostgreSQL", PG_URL, None))
    except Exception as error:  # no server: SQLite figures only
        print(f"PostgreSQL injoignable ({error.__class__.__name__}) : moteur non mesuré.")
    if subprocess.run(["bash", "tools/opensearch/node.sh", "start"], check=False).returncode == 0:
        handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-search-os-")
        os.close(handle)
        urls.append(("OpenSearch", f"sqlite:///{path}", path))
    else:
        print("Nœud OpenSearch indisponible (Java/Maven ?) : moteur non mesuré.")
    return urls


def fmt(seconds):
    return f"> {CAP:.0f} s" if seconds is None else f"{seconds * 1000:.1f} ms"


def run():
    for label, url, path in engines():
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench"}
        if label == "OpenSearch":
            env.update(SEARCH_URL="http://127.0.0.1:9200", SEARCH_INDEX="bench-recherche")
        print(f"\n-- {label} (index construit puis interrogé ; médianes de 7 mesures)", flush=True)
        output = subprocess.run(
            [sys.executable, "-c", f"from bench.bench_search import child; child({url!r})"],
            env=env, capture_output=True, text=True, check=False,
        )
        if path:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        lines = [line for line in output.stdout.splitlines() if line.startswith("RESULT ")]
        if not lines:
            print(output.stdout[-2000:], output.stderr[-3000:])
            continue
        figures = json.loads(lines[0][len("RESULT "):])
        small, large = (figures["sizes"][str(size)] for size in SIZES)
        print(f"Indexation 20 000 : notre index {large['index_ours']:.1f} s, Wagtail {large['index_wagtail']:.1f} s")
        print(f"{'requête':<18}{'nous 200':>12}{'nous 20 000':>14}{'ratio':>8}{'Wagtail 20 000':>17}{'Wagtail/nous':>14}")
        for name in [*QUERIES, "autocomplete"]:
            ours_small, ours_large = small[f"ours {name}"], large[f"ours {name}"]
            theirs = large[f"wagtail {name}"]
            speedup = f">{CAP / ours_large:.0f}x" if theirs is None else f"{theirs / ours_large:.0f}x"
            print(
                f"{name:<18}{fmt(ours_small):>12}{fmt(ours_large):>14}{ours_large / ours_small:>8.1f}"
                f"{fmt(theirs):>17}{speedup:>14}"
            )


if __name__ == "__main__":
    run()
