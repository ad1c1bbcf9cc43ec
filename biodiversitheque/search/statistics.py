"""Search statistics off the request path: a search is counted in this process's memory, written later in one batch.

`record()` only adds to a buffer. Once the buffer holds SEARCH_LOG_BATCH searches, or its oldest one is
SEARCH_LOG_SECONDS old, the batch is written when the request ends (`request_finished`: after the response has
been handed to the server), or by `flush()` (the unmatched searches report, tests) and at the process's exit.
A batch that fails to be written goes back into the buffer: nothing is lost but what a killed process held.
"""

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from .models import UnmatchedQuery

logger = logging.getLogger(__name__)

BATCH = 50  # settings.SEARCH_LOG_BATCH overrides: searches per write
SECONDS = 60  # settings.SEARCH_LOG_SECONDS overrides: age of the oldest unwritten search that forces a write
MAX_DISTINCT = 10_000  # distinct (query, day) kept while the database refuses them: bounded memory

_lock = threading.Lock()
_buffer = Counter()  # (normalised query, ISO date, found something) -> searches
_oldest = [None]  # time.monotonic() of the oldest search not written


def normalised(raw_query):
    return normalise_query_string(raw_query or "")[:255]


def record(raw_query, count):
    """Count one search (`count`: its number of results). No database access."""
    query = normalised(raw_query)
    if not query:
        return
    key = (query, timezone.localdate().isoformat(), bool(count))
    with _lock:
        if key not in _buffer and len(_buffer) >= MAX_DISTINCT:
            return
        _buffer[key] += 1
        if _oldest[0] is None:
            _oldest[0] = time.monotonic()


def pending():
    """Searches counted and not yet written."""
    with _lock:
        return sum(_buffer.values())


def is_due():
    with _lock:
        if not _buffer:
            return False
        return (
            sum(_buffer.values()) >= getattr(settings, "SEARCH_LOG_BATCH", BATCH)
            or time.monotonic() - _oldest[0] >= getattr(settings, "SEARCH_LOG_SECONDS", SECONDS)
        )


def _take():
    rows = [(query, day, found, hits) for (query, day, found), hits in _buffer.items()]
    _buffer.clear()
    _oldest[0] = None
    return rows


def _give_back(rows):
    with _lock:
        for query, day, found, hits in rows:
            _buffer[(query, day, found)] += hits
        if _oldest[0] is None:
            _oldest[0] = time.monotonic()


def discard():
    """Forget what is counted (tests: one test's searches must not land in the next one's database)."""
    with _lock:
        _take()


def flush():
    """Write what this process holds now; on failure the searches stay counted for the next attempt."""
    with _lock:
        rows = _take()
    if not rows:
        return 0
    try:
        save_rows(rows)
    except Exception:
        _give_back(rows)
        raise
    return sum(row[3] for row in rows)


def flush_safely():
    """flush() for the site's own use: a database error is logged, never shown; the searches stay counted."""
    try:
        return flush()
    except Exception:
        logger.exception("Recherche : statistiques non enregistrées pour l'instant (%s recherche(s) en attente)", pending())
        return 0


def flush_if_due(**kwargs):
    """request_finished receiver: the response is already out, so the write costs the resident nothing."""
    if is_due():
        flush_safely()


@transaction.atomic
def save_rows(rows):
    """rows: (query, ISO date, found, hits). Wagtail's daily hits (popular searches) and our unmatched searches."""
    per_day, unmatched = Counter(), Counter()
    for query, day, found, hits in rows:
        per_day[(query, day)] += hits
        if not found:
            unmatched[query] += hits
    queries = {}
    for query_string in sorted({query for query, _ in per_day}):  # sorted: concurrent flushes lock in one order
        queries[query_string] = Query.objects.get_or_create(query_string=query_string)[0]
    for (query_string, day), hits in sorted(per_day.items()):
        daily, _ = QueryDailyHits.objects.get_or_create(query=queries[query_string], date=day)
        QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + hits)
    now = timezone.now()
    for query_string, hits in sorted(unmatched.items()):
        row, _ = UnmatchedQuery.objects.get_or_create(query_string=query_string)
        UnmatchedQuery.objects.filter(pk=row.pk).update(hits=F("hits") + hits, last_seen=now)


def _at_exit():
    try:
        flush()
    except Exception:  # the database may already be gone
        logger.warning("Recherche : %s recherche(s) non enregistrée(s) à l'arrêt", pending(), exc_info=True)


atexit.register(_at_exit)
