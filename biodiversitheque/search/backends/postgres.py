"""PostgreSQL: generated tsvector columns with GIN indexes, ts_rank with weights A (title) > B > C, pg_trgm typos."""

import math
import time

from django.db import connection

from ..text import distance_at_most_one
from .base import DatabaseBackend

WALK_ROW_COST = 2
ESTIMATE_SECONDS = 300  # the number of documents only steers a plan: read again every five minutes
_estimate = (0.0, -math.inf)  # (documents, time read) of this process


def document_estimate():
    """The planner's own count of documents (pg_class.reltuples, 0 before the table's first analysis)."""
    global _estimate
    total, read_at = _estimate
    if time.monotonic() - read_at > ESTIMATE_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'sitesearch_searchdocument'::regclass")
            total = max(cursor.fetchone()[0], 0.0)
        _estimate = (total, time.monotonic())
    return total


class PostgresBackend(DatabaseBackend):
    name = "postgresql"

    ids_sql = "SELECT unnest(%s::bigint[])"

    @staticmethod
    def tsquery(search_terms, any_term):
        # The text is normalised in Python: the 'simple' configuration keeps our terms as they are.
        groups = ("(" + " | ".join(f"'{term}'" for term in group) + ")" for group in search_terms)
        return (" | " if any_term else " & ").join(groups)

    def scored(self, search_terms, any_term, where, where_params, title_only=False, limit=None):
        column = "title_search" if title_only else "search_vector"
        tail, params = "", [self.tsquery(search_terms, any_term), *where_params]
        if limit:
            tail, params = " ORDER BY d.id DESC LIMIT %s", params + [limit]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id, ts_rank(d.{column}, query, 1) * d.boost "
                f"FROM sitesearch_searchdocument d, to_tsquery('simple', %s) query WHERE d.{column} @@ query{where}{tail}",
                params,
            )
            return cursor.fetchall()

    def matching(self, search_terms, any_term, where, where_params, limit, counts=None):
        """Ids of the most recent matches, by the plan the vocabulary's counts call for.

        Walking the primary key backwards decompresses and matches each row's tsvector until `limit` match:
        cheap when most documents match, slow when few do (two words that are each common but rarely
        together). The GIN bitmap reads every match, then sorts them. The planner cannot tell (its filter
        cost ignores the decompression, and it prefers a sequential scan to the bitmap at a fifth of the
        table), so we choose, and force the bitmap with planner settings local to this one statement.
        """
        params = [self.tsquery(search_terms, any_term), *where_params, limit]
        select = "SELECT d.id FROM sitesearch_searchdocument d, to_tsquery('simple', %s) query WHERE d.search_vector @@ query"
        with connection.cursor() as cursor:
            if self.walks(counts, any_term, limit):
                cursor.execute(f"{select}{where} ORDER BY d.id DESC LIMIT %s", params)
            else:
                # One statement string, one implicit transaction (or the caller's): the settings end with it,
                # and are put back in case the caller's transaction goes on. `d.id + 0` keeps the key out.
                cursor.execute(
                    f"SET LOCAL enable_seqscan = off; {select}{where} ORDER BY d.id + 0 DESC LIMIT %s; "
                    "SET LOCAL enable_seqscan = on",
                    params,
                )
                cursor.nextset()
            return [row[0] for row in cursor.fetchall()]

    def walks(self, counts, any_term, limit):
        """Whether walking the key backwards beats the bitmap: expected matches e (the words taken as
        independent) out of n documents, the walk reads limit × n / e rows, the bitmap e; a row of the walk
        costs about WALK_ROW_COST rows of the bitmap (measured at 20,000 guides)."""
        total = document_estimate()
        if not total or not counts or None in counts:
            return True  # unknown: the planner's own choice
        shares = [min(count / total, 1.0) for count in counts]
        share = 1 - math.prod(1 - s for s in shares) if any_term else math.prod(shares)
        expected = share * total
        return expected * expected >= WALK_ROW_COST * limit * total

    def extra_fetch(self, search_terms):
        """An excerpt of the raw text around the best passage, by PostgreSQL's own French analysis.

        Our terms are stems of folded words; as prefixes in the french_unaccent configuration they find the
        inflected, accented words of the text. Marks are control characters, escaped and turned into
        <mark> in Python (the text is not HTML-safe).
        """
        tsquery = " | ".join(f"{term}:*" for group in search_terms for term in group)
        return (
            ", ts_headline('french_unaccent', left(text, 20000), to_tsquery('french_unaccent', %s), "
            "'MaxFragments=1, MaxWords=30, MinWords=12, StartSel=\x02, StopSel=\x03') AS headline",
            [tsquery],
        )

    def spelling_candidates(self, unknown):
        """Trigram similarity (GIN index) finds candidates; we keep those one edit away."""
        fixes = {}
        with connection.cursor() as cursor:
            for term, word in unknown:
                cursor.execute(
                    "SELECT term, word FROM sitesearch_searchterm WHERE term %% %s "
                    "ORDER BY similarity(term, %s) DESC, frequency DESC LIMIT 20",
                    [term, term],
                )
                for candidate, shown in cursor.fetchall():
                    if distance_at_most_one(term, candidate):
                        fixes[term] = (candidate, shown)
                        break
        missing = [(term, word) for term, word in unknown if term not in fixes]
        if missing:
            fixes.update(super().spelling_candidates(missing))
        return fixes

    def run_autocomplete(self, prefix_words, limit):
        tsquery = " & ".join(f"'{word}':*" for word in prefix_words)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT title, url, kind FROM sitesearch_searchdocument, to_tsquery('simple', %s) query "
                "WHERE title_vector @@ query ORDER BY boost DESC, ts_rank(title_vector, query) DESC, title LIMIT %s",
                [tsquery, limit],
            )
            return [{"title": t, "url": u, "type": k} for t, u, k in cursor.fetchall()]

