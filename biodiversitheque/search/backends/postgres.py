"""PostgreSQL: generated tsvector columns with GIN indexes, ts_rank with weights A (title) > B > C, pg_trgm typos."""

from django.db import connection

from ..text import distance_at_most_one
from .base import DatabaseBackend


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

    def matching(self, search_terms, any_term, where, where_params, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id FROM sitesearch_searchdocument d, to_tsquery('simple', %s) query "
                f"WHERE d.search_vector @@ query{where} ORDER BY d.id DESC LIMIT %s",
                [self.tsquery(search_terms, any_term), *where_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

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

