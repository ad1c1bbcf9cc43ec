"""PostgreSQL: generated tsvector columns with GIN indexes, ts_rank with weights A (title) > B > C, pg_trgm typos."""

from django.db import connection

from ..text import distance_at_most_one
from .base import DatabaseBackend


class PostgresBackend(DatabaseBackend):
    name = "postgresql"

    def match_sql(self, search_terms, any_term, scored=True):
        # The text is normalised in Python: the 'simple' configuration keeps our terms as they are.
        operator = " | " if any_term else " & "
        tsquery = operator.join(f"'{term}'" for term in search_terms)
        if not scored:
            return "SELECT id FROM sitesearch_searchdocument WHERE search_vector @@ to_tsquery('simple', %s)", [tsquery]
        return (
            "SELECT id, ts_rank(search_vector, query, 1) AS score "
            "FROM sitesearch_searchdocument, to_tsquery('simple', %s) query WHERE search_vector @@ query",
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

