"""The search engine in use: Elasticsearch/OpenSearch when SEARCH_URL is set, otherwise the database's own."""

from functools import lru_cache

from django.conf import settings
from django.db import connection


def get_backend():
    return _backend(getattr(settings, "SEARCH_URL", ""), connection.vendor)


@lru_cache(maxsize=4)
def _backend(search_url, vendor):
    if search_url:
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(search_url)
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()
