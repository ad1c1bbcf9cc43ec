"""The search engine in use: Elasticsearch/OpenSearch when SEARCH_URL is set, otherwise the database's own."""

from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

# By dotted path: the Elasticsearch client library is loaded only by sites that use it.
BACKENDS = {
    "elasticsearch": "biodiversitheque.search.backends.elasticsearch.ElasticsearchBackend",
    "postgresql": "biodiversitheque.search.backends.postgres.PostgresBackend",
    "sqlite": "biodiversitheque.search.backends.sqlite.SQLiteBackend",
}


def get_backend():
    return _backend(getattr(settings, "SEARCH_URL", ""), connection.vendor)


@lru_cache(maxsize=4)
def _backend(search_url, vendor):
    if search_url:
        return import_string(BACKENDS["elasticsearch"])(search_url)
    return import_string(BACKENDS.get(vendor, BACKENDS["sqlite"]))()
