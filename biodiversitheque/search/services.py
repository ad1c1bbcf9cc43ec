"""Keeping the search index in step with the content: each function is one transaction."""

import logging
import threading
from collections import Counter
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from . import caches, registry, statistics
from .backends import get_backend
from .models import SearchDocument, SearchFacet, SearchTerm
from .text import normalize, token_terms, words

logger = logging.getLogger(__name__)
MAX_TEXT_LENGTH = 100_000


def source_of(obj):
    """(content type, id) under which an object's documents are stored; pages share Page's content type."""
    model = Page if isinstance(obj, Page) else type(obj)._meta.concrete_model
    return ContentType.objects.get_for_model(model, for_concrete_model=True), obj.pk


def build_document(entry, content_type, object_id):
    text = (entry.text or "")[:MAX_TEXT_LENGTH]
    return SearchDocument(
        kind=entry.kind,
        content_type=content_type,
        object_id=object_id,
        key=str(entry.key or "")[:100],
        title=entry.title[:400],
        url=entry.url[:500],
        summary=entry.summary or "",
        text=text,
        title_norm=normalize(entry.title),
        summary_norm=normalize(entry.summary) if entry.index_summary else "",
        body_norm=normalize(text),
        title_words=" ".join(words(entry.title)),
        boost=entry.boost,
    )


def document_terms(doc):
    return set(f"{doc.title_norm} {doc.summary_norm} {doc.body_norm}".split())


def entries_for(obj, visible=False):
    """visible=True: obj comes from its provider's queryset(), already known to be shown."""
    provider = registry.provider_for(obj)
    if provider is None or not (visible or provider.is_visible(obj)):
        return []
    try:
        return list(provider.entries(obj))
    except Exception:  # one broken object must not block a publication; the rebuild command reports it
        logger.exception("Recherche : impossible d'indexer %r", obj)
        return []


@transaction.atomic
def reindex(obj):
    """Replace the documents of `obj` by what it shows now (nothing if it is a draft, private or unknown)."""
    if isinstance(obj, Page):
        obj = obj.specific_deferred if type(obj) is Page else obj
    content_type, object_id = source_of(obj)
    old = list(SearchDocument.objects.filter(content_type=content_type, object_id=object_id))
    entries = entries_for(obj)
    new = [build_document(entry, content_type, object_id) for entry in entries]
    _replace(old, new, entries)


@transaction.atomic
def remove(content_type, object_id):
    old = list(SearchDocument.objects.filter(content_type=content_type, object_id=object_id))
    _replace(old, [], [])


def remove_object(obj):
    remove(*source_of(obj))


def reindex_subtree(page):
    """A page and its descendants (after a move or a privacy change)."""
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific().iterator():
        if registry.provider_for(descendant):
            reindex(descendant)


def _replace(old, new, entries):
    backend = get_backend()
    if old:
        SearchDocument.objects.filter(pk__in=[doc.pk for doc in old]).delete()
        backend.delete_documents([doc.pk for doc in old])
    if new:
        SearchDocument.objects.bulk_create(new)
        if new[0].pk is None:  # backends without RETURNING: read the ids back
            ids = dict(
                SearchDocument.objects.filter(
                    content_type=new[0].content_type, object_id=new[0].object_id
                ).values_list("key", "pk")
            )
            for doc in new:
                doc.pk = ids[doc.key]
        _save_facets(new, entries)
        backend.index_documents(new)
    delta = Counter()
    for doc in old:
        delta.subtract(document_terms(doc))
    for doc, entry in zip(new, entries):
        delta.update(document_terms(doc))
    _update_vocabulary(delta, new, entries)


def _save_facets(docs, entries):
    SearchFacet.objects.bulk_create(
        [
            SearchFacet(document=doc, facet=facet, value=value)
            for doc, entry in zip(docs, entries)
            for facet, values in (("theme", entry.themes), ("audience", entry.audiences))
            for value in dict.fromkeys(values)
        ]
    )


def display_words(docs_and_entries):
    """Term -> shortest word of the texts giving it (with its accents), for "Vouliez-vous dire …".

    Shortest, so that the singular shows whichever document came first ("hérisson", not "hérissons").
    """
    shown = {}
    # Each distinct token of all the texts once, in order of first appearance: a later occurrence of a token
    # cannot change the word shown, so the batch is looked at as one stream.
    tokens = dict.fromkeys(
        token
        for doc, entry in docs_and_entries
        for token in f"{entry.title}\n{entry.summary or ''}\n{doc.text or ''}".split()
    )
    for token in tokens:
        found = _display_term(token)
        if found is not None:
            term, word = found
            if len(word) < len(shown.get(term, word + "-")):
                shown[term] = word
    return shown


@lru_cache(maxsize=200_000)
def _display_term(token):
    """(term, word shown) of one token of a text, None when it gives no term or several."""
    word = token.strip(".,;:!?()«»\"'’").lower()
    if "'" in word or "’" in word:
        word = word.split("'")[-1].split("’")[-1]
    word = word[:100]
    found = token_terms(word)
    return (found[0], word) if len(found) == 1 else None


def _update_vocabulary(delta, new, entries):
    delta = {term: count for term, count in delta.items() if count}
    if not delta:
        return
    added = [term for term, count in delta.items() if count > 0]
    if added:
        shown = display_words(zip(new, entries))
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term[:100], word=shown.get(term, term)[:100]) for term in added],
            ignore_conflicts=True,
        )
        # Terms already known keep their word unless this batch brings a shorter form.
        shorter = []
        for row in SearchTerm.objects.filter(term__in=[term[:100] for term in added if term in shown]):
            if len(shown[row.term]) < len(row.word):
                row.word = shown[row.term]
                shorter.append(row)
        if shorter:
            SearchTerm.objects.bulk_update(shorter, ["word"])
    by_count = {}
    for term, count in delta.items():
        by_count.setdefault(count, []).append(term[:100])
    for count, group in by_count.items():
        SearchTerm.objects.filter(term__in=group).update(frequency=F("frequency") + count)
    SearchTerm.objects.filter(term__in=[term for term, count in delta.items() if count < 0], frequency__lte=0).delete()


# Changes to related rows (observations, documents) are grouped and applied once, after the commit.
_pending = threading.local()


def schedule_reindex(obj):
    items = getattr(_pending, "items", None)
    if items is None:
        items = _pending.items = {}
    items[(type(obj), obj.pk)] = obj
    transaction.on_commit(_flush)


def _flush():
    items, _pending.items = getattr(_pending, "items", None) or {}, {}
    for (model, pk), obj in items.items():
        current = model._default_manager.filter(pk=pk).first()
        if current is None:
            remove_object(obj)
        else:
            reindex(current.specific if isinstance(current, Page) else current)


def rebuild(progress=print, batch_size=500):
    """Empty the index and index every visible object again."""
    with transaction.atomic(), get_backend().bulk_load():
        with connection.cursor() as cursor:  # whole tables: no per-row cascade collection
            for model in (SearchFacet, SearchDocument, SearchTerm):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        vocabulary, shown, total = Counter(), {}, 0
        for model, provider in registry.providers().items():
            label = model._meta.verbose_name_plural
            queryset = provider.rebuild_queryset()
            expected, done, count, batch = queryset.count(), 0, 0, []
            # iterator() with a chunk size keeps memory flat and runs the prefetches once per chunk.
            for obj in queryset.iterator(chunk_size=batch_size):
                content_type, object_id = source_of(obj)
                for entry in entries_for(obj, visible=True):
                    batch.append((build_document(entry, content_type, object_id), entry))
                done += 1
                if len(batch) >= batch_size:
                    count += _bulk_insert(batch, vocabulary, shown, raw=True)
                    batch = []
                    progress(f"  {label} : {done} / {expected}…")
            count += _bulk_insert(batch, vocabulary, shown, raw=True)
            total += count
            progress(f"{label} : {count} document(s)")
        with connection.cursor() as cursor:  # the table was emptied above: plain inserts, no conflicts
            cursor.executemany(
                f"INSERT INTO {SearchTerm._meta.db_table} (term, word, frequency) VALUES (%s, %s, %s)",
                [(term[:100], shown.get(term, term)[:100], n) for term, n in vocabulary.items()],
            )
    get_backend().rebuild(progress)
    progress(f"Index reconstruit : {total} document(s), {len(vocabulary)} terme(s).")
    return total


def bulk_index(pairs, vocabulary=None, shown=None):
    """Insert (SearchDocument, Entry) pairs without the per-object bookkeeping (rebuild, benchmarks)."""
    return _bulk_insert(list(pairs), vocabulary if vocabulary is not None else Counter(), shown if shown is not None else {})


def _insert_rows(docs, entries):
    """Documents and their facets in two executemany() with ids reserved beforehand: bulk_create prepares
    each value of each field in Python, a good part of a rebuild's time. Only inside rebuild(): on SQLite
    its deletes hold the write lock, so the next ids cannot be taken meanwhile."""
    table, facet_table = SearchDocument._meta.db_table, SearchFacet._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, len(docs)])
            ids = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":  # AUTOINCREMENT: never reuse the ids of the deleted rows
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
            ids = range(highest + 1, highest + 1 + len(docs))
        for doc, pk in zip(docs, ids, strict=True):
            doc.pk = doc.id = pk
        columns = ", ".join(connection.ops.quote_name(column) for column in DOCUMENT_COLUMNS)
        cursor.executemany(
            f"INSERT INTO {table} (id, {columns}) VALUES ({', '.join(['%s'] * (len(DOCUMENT_COLUMNS) + 1))})",
            [(doc.pk, *(getattr(doc, column) for column in DOCUMENT_COLUMNS[:-1]), now) for doc in docs],
        )
        cursor.executemany(
            f"INSERT INTO {facet_table} (document_id, facet, value) VALUES (%s, %s, %s)",
            [
                (doc.pk, facet, value)
                for doc, entry in zip(docs, entries)
                for facet, values in (("theme", entry.themes), ("audience", entry.audiences))
                for value in dict.fromkeys(values)
            ],
        )


DOCUMENT_COLUMNS = ("kind", "content_type_id", "object_id", "key", "title", "url", "summary", "text", "title_norm",
                    "summary_norm", "body_norm", "title_words", "boost", "indexed_at")


def _bulk_insert(batch, vocabulary, shown, raw=False):
    if not batch:
        return 0
    docs = [doc for doc, _ in batch]
    if raw:
        _insert_rows(docs, [entry for _, entry in batch])
    else:
        _insert_documents(batch)
    for doc in docs:
        vocabulary.update(document_terms(doc))
    for term, word in display_words(batch).items():
        if len(word) < len(shown.get(term, word + "-")):
            shown[term] = word
    return len(docs)


def _insert_documents(batch):
    docs = [doc for doc, _ in batch]
    SearchDocument.objects.bulk_create(docs, batch_size=500)
    if docs[0].pk is None:
        by_source = {
            (ct, oid, key): pk
            for ct, oid, key, pk in SearchDocument.objects.filter(
                object_id__in={doc.object_id for doc in docs}
            ).values_list("content_type_id", "object_id", "key", "pk")
        }
        for doc in docs:
            doc.pk = by_source[(doc.content_type_id, doc.object_id, doc.key)]
    _save_facets(docs, [entry for _, entry in batch])


def search(raw_query, filters=None, page=1, per_page=10, correct=True):
    """Results of a query for the page or the API: never raises on a page past the end (shows the last one).

    correct=False searches the words as typed (the "Rechercher plutôt" link of a corrected query).
    """
    backend = get_backend()
    results = backend.search(raw_query, filters, page, per_page, correct)
    last_page = max(1, -(-results.count // per_page))
    if page > last_page:
        results = backend.search(raw_query, filters, last_page, per_page, correct)
        page = last_page
    results.page = page
    results.num_pages = last_page
    return results


def log_search(raw_query, count):
    """Count the query for the "search terms" report, and keep the ones that found nothing (written in batches)."""
    statistics.record(raw_query, count)


def promotions(raw_query):
    """Results promoted by librarians for this exact query (Wagtail's search promotions), cached."""
    query_string = normalise_query_string(raw_query)
    return caches.cached("promotions", query_string, lambda: _promotions(query_string))


def _promotions(query_string):
    picks = SearchPromotion.objects.filter(query__query_string=query_string).select_related("page")
    shown = []
    for pick in picks.order_by("sort_order"):
        if pick.page_id and not (pick.page.live and not pick.page.get_view_restrictions().exists()):
            continue
        shown.append({"title": pick.title, "url": pick.page.url if pick.page_id else pick.external_link_url,
                      "description": pick.description})
    return shown


def index_new(objects, *, visible=False):
    """Index objects that have no document yet (a bulk import) in one pass, vocabulary included.

    `visible`: the caller has checked once that they are all live and public (pages under one parent),
    which spares two queries per page.
    """
    pairs = []
    for obj in objects:
        content_type, object_id = source_of(obj)
        entries = entries_for(obj, visible=visible)
        pairs += [(build_document(entry, content_type, object_id), entry) for entry in entries]
    if not pairs:
        return 0
    with transaction.atomic():
        vocabulary = Counter()
        _bulk_insert(pairs, vocabulary, {})
        docs, entries = [doc for doc, _ in pairs], [entry for _, entry in pairs]
        get_backend().index_documents(docs)
        _update_vocabulary(vocabulary, docs, entries)
    return len(pairs)


def reindex_many(objects):
    """reindex() for many objects at once (the species an import touched): one delete, one insert, one
    vocabulary update instead of a round of each per object."""
    objects = list(objects)
    if not objects:
        return
    if not connection.features.can_return_rows_from_bulk_insert:  # _replace reads ids back one object at a time
        for obj in objects:
            reindex(obj)
        return
    sources = [source_of(obj) for obj in objects]
    with transaction.atomic():
        ids_by_type = {}
        for content_type, object_id in sources:
            ids_by_type.setdefault(content_type, []).append(object_id)
        old = [
            doc
            for content_type, ids in ids_by_type.items()
            for doc in SearchDocument.objects.filter(content_type=content_type, object_id__in=ids)
        ]
        pairs = [
            (build_document(entry, content_type, object_id), entry)
            for obj, (content_type, object_id) in zip(objects, sources, strict=True)
            for entry in entries_for(obj)
        ]
        _replace(old, [doc for doc, _ in pairs], [entry for _, entry in pairs])
