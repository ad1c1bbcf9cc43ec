"""Site search on real guide pages (GuidePage) at 200, 2,000 and 20,000, against a bare JSON view, the raw engine
query and Wagtail's default search backend.

Each engine runs in its own process on a throwaway database, a copy of the migrated template (bench.templates):
a temporary SQLite file and PostgreSQL (database biodiv_bench_search, re-created; BENCH_SEARCH_PG_URL to use
another) when it answers on 127.0.0.1:5432. OpenSearch (the node of `make search-node`) is measured only when BENCH_SEARCH_ENGINES names it ("sqlite,postgresql,opensearch"):
starting the node alone takes most of the module's time budget.

One corpus is generated once (seeded): a Zipf-like French vocabulary (stop words first, then the words of the
domain, then a long tail of rarer words), so that "jardin" is in a good share of the guides and "salamandre" in a
handful, as in real text. The guides are written with computed tree paths and bulk inserts (each table of the page
types), then grown 200 → 2,000 → 20,000. Every ratio is measured interleaved (bench.harness): the endpoint, a bare
JSON view through the same middleware and the raw engine query alternate in one process, and each round gives
"endpoint − bare view" in raw queries; against Wagtail, both sides are JSON views of the same shape.
"""

import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from bench.harness import goal, interleaved, interleaved_rounds, median_spread

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SEARCH_SIZES", "200,2000,20000").split(","))
GOAL_SIZE = 20000  # the size the search goals name
# SQLite stops at 2,000 unless asked: there, Wagtail's own SQLite backend costs seconds of CPU per query at
# 20,000 guides, and the 5 pairs of 5 kinds alone would take several times the whole bench's budget.
SQLITE_SIZES = os.environ.get("BENCH_SEARCH_SQLITE_SIZES", "200,2000")
PAIRS = int(os.environ.get("BENCH_SEARCH_PAIRS", "7"))
WAGTAIL_PAIRS = 5
# Index builds at the largest size, ours and update_index alternated: one pair costs about a minute of CPU per
# engine, so one pair fits the module's budget (more with BENCH_SEARCH_BUILD_PAIRS).
BUILD_PAIRS = int(os.environ.get("BENCH_SEARCH_BUILD_PAIRS", "1"))
PG_URL = os.environ.get("BENCH_SEARCH_PG_URL", "postgres://postgres@127.0.0.1:5432/biodiv_bench_search")
ENGINES = os.environ.get("BENCH_SEARCH_ENGINES", "sqlite,postgresql").split(",")

# kind -> (query, what the first result must be). "title:jardin": any guide with that word in its title.
QUERIES = {
    "mot courant": ("jardin", "title:jardin"),
    "mot rare": ("salamandre", "rare"),
    "deux mots": ("haie champêtre", "two"),
    "faute de frappe": ("salamadre", "rare"),
    "autocomplétion": ("salam", "rare"),
}
TARGETS = {
    "rare": "Accueillir la salamandre tachetée",
    "two": "Planter une haie champêtre",
}
# Never drawn for titles: only the targets carry them there, so the right first result is known.
TITLE_EXCLUDED = {"salamandre", "champêtre", "tachetée"}
# No generated word starts like an autocompleted query: "salami" (sa-la-mi) would otherwise compete with the
# target in titles. A corpus artefact removed, not a ranking rule: real words sharing the prefix stay.
AUTOCOMPLETED = tuple(query for kind, (query, _) in QUERIES.items() if kind == "autocomplétion")

STOP = "de la le et les des à en un une du pour que qui dans au par sur est pas plus avec ce se il ou sont son aux".split()
DOMAIN = (
    "jardin eau plante arbre haie mare sol fleur oiseau insecte abeille compost graine prairie nichoir hérisson "
    "papillon potager verger arbuste feuille branche bois semis taille fauche tonte paillage terreau coccinelle "
    "bourdon mésange moineau martinet hirondelle crapaud grenouille triton libellule ruisseau fossé berge talus "
    "lisière bocage friche pelouse massif toiture façade balcon cour école quartier commune habitant association "
    "atelier sortie balade inventaire observation comptage protocole printemps été automne hiver matin soir nuit "
    "lumière pluie sécheresse chaleur ombre abri refuge gîte nourriture vivace annuelle noisetier aubépine sureau "
    "cornouiller églantier lierre ortie ronce champêtre pollinisateur biodiversité nature sauvage espèce local "
    "chauve-souris orvet lézard escargot ver rosée pierre muret tas bûche"
).split()
RARE = ["salamandre", "tachetée", "sonneur", "alyte", "pélodyte", "criquet", "grillon", "orchidée", "fougère"]
SYLLABLES = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo la le li lo lu ma me mi mo mu na ne ni no ".split() + (
    "pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo cha che chi pré tra tri gre"
).split()


def vocabulary(rng, tail=4000):
    """Words by rank (stop words, domain words, a long tail of generated words) and their Zipf weights."""
    words = [*STOP, *DOMAIN]
    seen = set(words) | set(RARE)
    while len(words) < len(STOP) + len(DOMAIN) + tail:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen and not word.startswith(AUTOCOMPLETED):
            seen.add(word)
            words.append(word)
    # The rare words far in the tail: a few documents each in 20,000.
    for offset, word in enumerate(RARE):
        words.insert(len(words) - 200 - offset * 50, word)
    weights = [1 / (rank + 2.7) for rank in range(len(words))]  # Zipf–Mandelbrot, exponent 1
    return words, weights


def corpus(count, seed=7):
    """(title, summary, body) of `count` guides; the two targets first."""
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    title_words = [word for word in words[len(STOP):] if word not in TITLE_EXCLUDED]
    title_weights = [1 / (rank + 2.7) for rank in range(len(title_words))]
    texts = [
        (TARGETS["rare"], "La salamandre tachetée vit près des mares et des bois humides.",
         "Une salamandre a besoin d'abris humides : tas de bois, pierres, feuilles. " * 3),
        (TARGETS["two"], "Une haie champêtre d'essences locales abrite oiseaux et insectes.",
         "La haie champêtre mêle noisetier, aubépine, sureau et cornouiller. " * 3),
    ]
    while len(texts) < count:
        title = " ".join(rng.choices(title_words, weights=title_weights, k=rng.randint(3, 6))).capitalize()
        summary = " ".join(rng.choices(words, cum_weights=cumulative, k=25))
        body = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(120, 260)))
        texts.append((title, summary, body))
    return texts


def add_guides(parent, texts, first_number, themes):
    """Live guide pages under `parent`, written table by table (treebeard's add_child costs ~40 ms a page)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from ressources.models import GuidePage

    now, locale = timezone.now(), Locale.get_default()
    content_type = ContentType.objects.get_for_model(GuidePage)
    parent.refresh_from_db()
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen:]) if last else 0
    chain = [*reversed(GuidePage._meta.get_parent_list()), GuidePage]  # Page, BasePage, ResourcePage, GuidePage
    with transaction.atomic():
        for start in range(0, len(texts), 1000):
            guides = []
            for number, (title, summary, body) in enumerate(texts[start : start + 1000], first_number + start):
                step += 1
                slug = f"guide-{number}"
                guides.append(GuidePage(
                    title=title, draft_title=title, slug=slug, content_type=content_type, locale=locale,
                    path=Page._get_path(parent.path, parent.depth + 1, step), depth=parent.depth + 1, numchild=0,
                    url_path=f"{parent.url_path}{slug}/", live=True, has_unpublished_changes=False,
                    first_published_at=now, last_published_at=now, translation_key=uuid.uuid4(),
                    summary=summary[:400], town_rules=f"<p>{body}</p>",
                ))
            pages = [Page(**{f.attname: getattr(g, f.attname) for f in Page._meta.concrete_fields if not f.primary_key})
                     for g in guides]
            Page.objects.bulk_create(pages)
            for guide, page in zip(guides, pages, strict=True):
                guide.pk = guide.id = page.pk
                for klass in chain[1:]:
                    for field in klass._meta.parents.values():
                        setattr(guide, field.attname, page.pk)
            for klass in chain[1:]:
                klass._base_manager._insert(guides, fields=klass._meta.local_concrete_fields)
            for name in ("themes", "audiences"):
                through = getattr(GuidePage, name).through
                source, target = (f.attname for f in through._meta.concrete_fields if not f.primary_key)
                links = [through(**{source: g.pk, target: themes[name][(g.pk + i) % len(themes[name])].pk})
                         for g in guides for i in range(1 + g.pk % 2)]
                through.objects.bulk_create(links, ignore_conflicts=True)
        Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())


# -- views of the bench's URLconf (ROOT_URLCONF = this module in the child): same middleware as the site.

def bare_view(request):
    from django.http import JsonResponse

    return JsonResponse({"count": 0, "results": []})


def wagtail_view(request):
    """Wagtail's default backend answering like /api/recherche/ (10 best results, title and address)."""
    from django.http import JsonResponse
    from wagtail.search.backends import get_search_backend

    from ressources.models import GuidePage

    backend, query = get_search_backend(), request.GET.get("q", "")
    if request.GET.get("autocomplete"):
        found = backend.autocomplete(query, GuidePage.objects.live())[:8]
    else:
        found = backend.search(query, GuidePage.objects.live())[:10]
    return JsonResponse({"results": [{"title": page.title, "url": page.url} for page in found]})


def __getattr__(name):
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.urls import include, path

    return [
        path("bench/nu/", bare_view),
        path("bench/wagtail/", wagtail_view),
        path("", include("biodiversitheque.portal.urls")),
    ]


def raw_query(backend, query, autocomplete):
    """The engine's own query for these words, as one SQL statement (ids of the 10 best, or 8 titles)."""
    from django.db import connection

    from biodiversitheque.search.backends.sqlite import quote
    from biodiversitheque.search.text import query_terms, words

    if autocomplete:
        prefix = words(query)
        if connection.vendor == "sqlite":
            sql = ("SELECT rowid FROM sitesearch_fts_title WHERE sitesearch_fts_title MATCH %s ORDER BY rank LIMIT 8",
                   ["title_words : (" + " AND ".join(quote(w) + "*" for w in prefix) + ")"])
        else:
            sql = ("SELECT id FROM sitesearch_searchdocument, to_tsquery('simple', %s) q WHERE title_vector @@ q "
                   "ORDER BY ts_rank(title_vector, q) DESC LIMIT 8", [" & ".join(f"'{w}':*" for w in prefix)])
    else:
        search_terms = [term for term, _ in query_terms(query)]
        if connection.vendor == "sqlite":
            sql = ("SELECT rowid FROM sitesearch_fts WHERE sitesearch_fts MATCH %s "
                   "ORDER BY bm25(sitesearch_fts, 10.0, 4.0, 1.0, 0.0) LIMIT 10",
                   ["{title_norm summary_norm body_norm} : (" + " AND ".join(quote(t) for t in search_terms) + ")"])
        else:
            sql = ("SELECT id FROM sitesearch_searchdocument, to_tsquery('simple', %s) q WHERE search_vector @@ q "
                   "ORDER BY ts_rank(search_vector, q, 1) DESC LIMIT 10", [" & ".join(f"'{t}'" for t in search_terms)])

    def run():
        with connection.cursor() as cursor:
            cursor.execute(*sql)
            return cursor.fetchall()

    return run


def first_is_right(results, expected):
    if not results:
        return False
    if expected.startswith("title:"):
        return expected[6:] in results[0]["title"].lower()
    return results[0]["title"] == TARGETS[expected]


def child():
    """Runs inside a fresh process whose DATABASE_URL is the throwaway database; prints one RESULT line."""
    import io

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from biodiversitheque.core.models import Audience, Theme
    from biodiversitheque.portal.site_structure import ensure_site_structure
    from biodiversitheque.search import services, statistics
    from biodiversitheque.search.backends import get_backend
    from ressources.models import ResourceIndexPage

    timeline = []

    @contextlib.contextmanager
    def phase(name):
        """One step of the module, its wall and CPU seconds noted (the timeline printed with the figures)."""
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        timeline.append([name, time.perf_counter() - wall, time.process_time() - cpu])
        print(f"  {name} : {timeline[-1][1]:.1f} s", file=sys.stderr, flush=True)

    with phase("site"):  # the database is a copy of the migrated template (engines())
        ensure_site_structure()
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "search_api": "100000000/m", "suggestions_api": "100000000/m"}
    parent = ResourceIndexPage.objects.get()
    themes = {"themes": list(Theme.objects.all()[:8]) or [Theme.objects.create(name="Haies", slug="haies")],
              "audiences": list(Audience.objects.all()[:4]) or [Audience.objects.create(name="Habitants", slug="habitants")]}
    with phase("corpus"):
        texts = corpus(max(SIZES))
    ours, client = get_backend(), Client()
    figures = {"engine": ours.name, "sizes": {}, "timeline": timeline}
    quiet = lambda message: None  # noqa: E731

    def endpoint(query, autocomplete):
        url = "/api/recherche/suggestions/" if autocomplete else "/api/recherche/"
        return lambda: client.get(url, {"q": query})

    with override_settings(ROOT_URLCONF="bench.bench_search"):
        done = 0
        for size in SIZES:
            with phase(f"{size} : guides"):
                add_guides(parent, texts[done:size], done, themes)
            done = size
            row = {}
            if size == max(SIZES):
                # The goal's build, on the same 20,000 pages: ours and update_index alternated, BUILD_PAIRS
                # times (each run rebuilds from scratch; update_index only rebuilds Wagtail's own index, which
                # the comparison below needs anyway).
                times = {"ours": [], "wagtail": []}
                for number in range(BUILD_PAIRS):
                    order = ("ours", "wagtail") if number % 2 == 0 else ("wagtail", "ours")
                    for name in order:
                        started = time.perf_counter()
                        with phase(f"{size} : {'notre index' if name == 'ours' else 'update_index'}"):
                            if name == "ours":
                                services.rebuild(progress=quiet)
                            else:
                                call_command("update_index", stdout=io.StringIO())
                        times[name].append(time.perf_counter() - started)
                row["build"] = times
            else:
                # Only our index is needed below this size (no Wagtail comparison, no build goal).
                with phase(f"{size} : notre index"):
                    services.rebuild(progress=quiet)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # what autovacuum does after a bulk load: planner statistics
                    cursor.execute("ANALYZE")
            ours.rebuild(progress=quiet)  # the search node's copy (nothing to do for the databases)
            wall, cpu = time.perf_counter(), time.process_time()
            for kind, (query, expected) in QUERIES.items():
                autocomplete = kind == "autocomplétion"
                ask = endpoint(query, autocomplete)
                data = ask().json()
                functions = {"endpoint": ask, "bare": lambda: client.get("/bench/nu/", {"q": query})}
                if ours.name != "elasticsearch":
                    functions["raw"] = raw_query(ours, "salamandre" if kind == "faute de frappe" else query,
                                                 autocomplete)
                times = interleaved_rounds(functions, pairs=PAIRS)
                item = {"first_ok": first_is_right(data["results"], expected), "times": times}
                if size == max(SIZES):
                    params = {"q": query, **({"autocomplete": "1"} if autocomplete else {})}
                    answers = []  # Wagtail's first result is judged on its first timed answer: one call less
                    theirs = lambda: answers.append(client.get("/bench/wagtail/", params))  # noqa: B023,E731
                    versus = interleaved(theirs, ask, pairs=WAGTAIL_PAIRS, warmup=0)
                    item["wagtail_first_ok"] = first_is_right(answers[0].json()["results"], expected)
                    item["wagtail"] = {"theirs": versus.a, "ours": versus.b}
                row[kind] = item
            figures["sizes"][size] = row
            timeline.append([f"{size} : requêtes" + (" et Wagtail" if size == max(SIZES) else ""),
                             time.perf_counter() - wall, time.process_time() - cpu])
    statistics.discard()
    print("RESULT " + json.dumps(figures))


def _migrated(label, copy):
    """Start from a copy of the migrated template (bench.templates), said with its cost."""
    started = time.perf_counter()
    built = copy()
    print(f"{label} : base migrée {'construite (migrate)' if built else 'copiée du modèle'} en "
          f"{time.perf_counter() - started:.1f} s", flush=True)


def engines():
    from bench.templates import copy_migrated, copy_migrated_postgresql

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench"}
    found = []
    if "sqlite" in ENGINES:
        handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-search-")
        os.close(handle)
        _migrated("SQLite", lambda: copy_migrated(path, env))
        found.append(("SQLite", f"sqlite:///{path}", path, {"BENCH_SEARCH_SIZES": SQLITE_SIZES}))
    if "postgresql" in ENGINES:
        try:
            admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
            _migrated("PostgreSQL", lambda: copy_migrated_postgresql(PG_URL, env, admin_url=admin_url))
            found.append(("PostgreSQL", PG_URL, None, {}))
        except Exception as error:  # no server: SQLite figures only
            print(f"PostgreSQL injoignable ({error.__class__.__name__}) : moteur non mesuré.")
    if "opensearch" in ENGINES:
        if subprocess.run(["bash", "tools/opensearch/node.sh", "start"], check=False).returncode == 0:
            handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-search-os-")
            os.close(handle)
            _migrated("OpenSearch", lambda: copy_migrated(path, env))
            found.append(("OpenSearch", f"sqlite:///{path}", path,
                          {"SEARCH_URL": "http://127.0.0.1:9200", "SEARCH_INDEX": "bench-recherche"}))
        else:
            print("Nœud OpenSearch indisponible (Java/Maven ?) : moteur non mesuré.")
    return found


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def report(label, figures):
    sizes = {int(size): row for size, row in figures["sizes"].items()}
    smallest, largest = min(sizes), max(sizes)
    large = sizes[largest]
    # The goals name 20,000 guides: a run that stopped below says so in each line and meets none of them.
    short = "" if largest >= GOAL_SIZE else f" ; {GOAL_SIZE} guides non mesurés"
    full = not short
    print("Chronologie (mur / CPU du processus) : " + " ; ".join(
        f"{name} {wall:.1f} s / {cpu:.1f} s" for name, wall, cpu in figures["timeline"]))
    print(f"{'requête':<17}{'taille':>8}{'point d’accès':>15}{'vue nue':>10}{'requête brute':>15}"
          f"{'(accès − nu) / brute':>24}{'1er résultat':>14}")
    for kind in QUERIES:
        for size, row in sizes.items():
            times = row[kind]["times"]
            raw = times.get("raw")
            excess = ([max(e - b, 0) / r for e, b, r in zip(times["endpoint"], times["bare"], raw, strict=True)]
                      if raw else [])
            row[kind]["excess"] = excess
            print(f"{kind:<17}{size:>8}{ms(statistics.median(times['endpoint'])):>15}"
                  f"{ms(statistics.median(times['bare'])):>10}{ms(statistics.median(raw)) if raw else '—':>15}"
                  f"{median_spread(excess) if excess else '—':>24}{'oui' if row[kind]['first_ok'] else 'NON':>14}")
    for kind in QUERIES:
        excess = [value for row in sizes.values() for value in row[kind]["excess"]]
        if excess:
            worst = max(statistics.median(row[kind]["excess"]) for row in sizes.values())
            goal(f"Recherche {label}, {kind} : coût hors moteur ({smallest} à {largest})",
                 "≤ vue JSON nue + 2 × requête brute", f"{worst:.2f} × la requête brute (pire taille){short}", worst <= 2 and full)
        # Growth, each size normalised by the bare view measured in the same rounds.
        per_size = {size: [e / b for e, b in zip(row[kind]["times"]["endpoint"], row[kind]["times"]["bare"],
                                                  strict=True)] for size, row in sizes.items()}
        growth = statistics.median(per_size[largest]) / statistics.median(per_size[smallest])
        goal(f"Recherche {label}, {kind} : croissance {largest} / {smallest}", "< 2", f"{growth:.2f}{short}", growth < 2 and full)
        versus = large[kind]["wagtail"]
        speedups = sorted(t / o for t, o in zip(versus["theirs"], versus["ours"], strict=True))
        speedup = statistics.median(speedups)
        right = large[kind]["first_ok"]
        print(f"{kind:<17} Wagtail {ms(statistics.median(versus['theirs']))} contre {ms(statistics.median(versus['ours']))}"
              f" : {median_spread(speedups)} ; 1er résultat juste : nous {'oui' if right else 'non'}, "
              f"Wagtail {'oui' if large[kind]['wagtail_first_ok'] else 'non'}")
        goal(f"Recherche {label}, {kind} : rapidité face à Wagtail ({largest} guides)", "≥ 10× et 1er résultat juste",
             f"{speedup:.1f}× ({speedups[0]:.1f} à {speedups[-1]:.1f}), 1er {'juste' if right else 'faux'}{short}",
             speedup >= 10 and right and full)
    for size, row in sizes.items():
        build = row.get("build")
        if not build or not isinstance(build, dict) or "ours" not in build:
            continue
        ratios = sorted(w / o for o, w in zip(build["ours"], build["wagtail"], strict=True))
        print(f"Construction de l'index, {size} guides : nous {statistics.median(build['ours']):.1f} s, "
              f"update_index {statistics.median(build['wagtail']):.1f} s, update_index / nous {median_spread(ratios)}")
        if size == largest:
            goal(f"Recherche {label} : construction de l'index, {size} guides", "≤ update_index de Wagtail",
                 f"update_index / nous = {statistics.median(ratios):.2f}{short}", statistics.median(ratios) >= 1 and full)


def run():
    for label, url, path, extra in engines():
        # Connections kept from one request to the next, as docs/exploitation.md runs production (for Wagtail's
        # view as for ours; the bare view opens none): otherwise each search pays a new PostgreSQL backend.
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "biodiversitheque.settings.bench",
               "DATABASE_CONN_MAX_AGE": "60", **extra}
        print(f"\n-- {label} (guides générés ; {PAIRS} tours alternés par mesure)", flush=True)
        started = time.perf_counter()
        # The child's stderr (its timeline, step by step) goes straight to the console.
        output = subprocess.run([sys.executable, "-c", "from bench.bench_search import child; child()"],
                                env=env, stdout=subprocess.PIPE, text=True, check=False)
        if path:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        lines = [line for line in output.stdout.splitlines() if line.startswith("RESULT ")]
        if not lines:
            print(output.stdout[-3000:])
            continue
        report(label, json.loads(lines[0][len("RESULT "):]))
        print(f"({label} : {time.perf_counter() - started:.0f} s)")
    if "opensearch" in ENGINES:
        subprocess.run(["bash", "tools/opensearch/node.sh", "stop"], check=False)


if __name__ == "__main__":
    run()
