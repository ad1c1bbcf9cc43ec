"""SQLite: an FTS5 table (sitesearch_fts) fed by triggers, ranked by bm25 with titles weighing most."""

from django.db import connection

from .base import DatabaseBackend

# bm25 column weights: title, summary, body, title words (autocomplete only).
WEIGHTS = "10.0, 4.0, 1.0, 0.0"


def quote(token):
    # Terms are [a-z0-9]+ already; quoting makes FTS5 read them as strings, never as operators (NEAR, AND…).
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(DatabaseBackend):
    name = "sqlite"

    def match_sql(self, search_terms, any_term, scored=True):
        operator = " OR " if any_term else " AND "
        expression = "{title_norm summary_norm body_norm} : (" + operator.join(quote(t) for t in search_terms) + ")"
        if not scored:
            return "SELECT rowid FROM sitesearch_fts WHERE sitesearch_fts MATCH %s", [expression]
        return (
            f"SELECT rowid AS id, -bm25(sitesearch_fts, {WEIGHTS}) AS score "
            "FROM sitesearch_fts WHERE sitesearch_fts MATCH %s",
            [expression],
        )

    def run_autocomplete(self, prefix_words, limit):
        expression = "title_words : (" + " AND ".join(quote(w) + "*" for w in prefix_words) + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.title, d.url, d.kind FROM sitesearch_fts f JOIN sitesearch_searchdocument d ON d.id = f.rowid "
                "WHERE sitesearch_fts MATCH %s ORDER BY d.boost DESC, f.rank, d.title LIMIT %s",
                [expression, limit],
            )
            return [{"title": t, "url": u, "type": k} for t, u, k in cursor.fetchall()]
