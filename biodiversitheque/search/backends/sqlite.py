"""SQLite: FTS5 tables fed by triggers (sitesearch_fts: every column; sitesearch_fts_title: titles), bm25 ranking."""

import json
from contextlib import contextmanager

from django.db import connection

from .base import DatabaseBackend

# bm25 column weights: title, summary, body, title words (autocomplete only); title table: title, title words.
WEIGHTS = "10.0, 4.0, 1.0, 0.0"
TITLE_WEIGHTS = "1.0, 0.0"


FTS_TABLES = ("sitesearch_fts", "sitesearch_fts_title")


def quote(token):
    # Terms are [a-z0-9]+ already; quoting makes FTS5 read them as strings, never as operators (NEAR, AND…).
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(DatabaseBackend):
    name = "sqlite"
    ids_sql = "SELECT value FROM json_each(%s)"
    # The planner would read the wide rows by rowid; the (id, kind) index answers alone (migration 0008).
    kinds_table = "sitesearch_searchdocument INDEXED BY sitesearch_document_kind"

    def ids_param(self, ids):
        return json.dumps(list(ids))

    def expression(self, search_terms, any_term, columns):
        operator = " OR " if any_term else " AND "
        groups = ("(" + " OR ".join(quote(t) for t in group) + ")" for group in search_terms)
        return "{" + columns + "} : (" + operator.join(groups) + ")"

    def scored(self, search_terms, any_term, where, where_params, title_only=False, limit=None):
        if title_only:
            table, weights, columns = "sitesearch_fts_title", TITLE_WEIGHTS, "title_norm"
        else:
            table, weights, columns = "sitesearch_fts", WEIGHTS, "title_norm summary_norm body_norm"
        expression = self.expression(search_terms, any_term, columns)
        tail, params = "", [expression, *where_params]
        if limit:
            tail, params = " ORDER BY f.rowid DESC LIMIT %s", params + [limit]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.rowid, -bm25({table}, {weights}) * d.boost FROM {table} f "
                f"JOIN sitesearch_searchdocument d ON d.id = f.rowid WHERE {table} MATCH %s{where}{tail}",
                params,
            )
            return cursor.fetchall()

    def matching(self, search_terms, any_term, where, where_params, limit, counts=None):
        expression = self.expression(search_terms, any_term, "title_norm summary_norm body_norm")
        join = " JOIN sitesearch_searchdocument d ON d.id = f.rowid" if where else ""  # filters read d.*
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.rowid FROM sitesearch_fts f{join} WHERE sitesearch_fts MATCH %s{where} "
                "ORDER BY f.rowid DESC LIMIT %s",
                [expression, *where_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def run_autocomplete(self, prefix_words, limit):
        expression = "title_words : (" + " AND ".join(quote(w) + "*" for w in prefix_words) + ")"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.title, d.url, d.kind FROM sitesearch_fts_title f "
                "JOIN sitesearch_searchdocument d ON d.id = f.rowid "
                "WHERE sitesearch_fts_title MATCH %s ORDER BY d.boost DESC, f.rank, d.title LIMIT %s",
                [expression, limit],
            )
            return [{"title": t, "url": u, "type": k} for t, u, k in cursor.fetchall()]

    @contextmanager
    def bulk_load(self):
        """A rebuild without the triggers: each FTS5 table is emptied, then filled from its content in one
        statement, instead of one trigger insert (and delete) per document. Inside the rebuild's transaction,
        so a failure puts the triggers back, and the write lock keeps other writers out meanwhile."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sitesearch_searchdocument'"
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
        yield
        with connection.cursor() as cursor:
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            for _, sql in triggers:
                cursor.execute(sql)
