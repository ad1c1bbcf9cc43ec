"""Against a real Elasticsearch/OpenSearch: runs only when SEARCH_URL is set (not run where no server exists)."""

import os

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.skipif(not os.environ.get("SEARCH_URL"), reason="SEARCH_URL non défini : pas de serveur")


@pytest.fixture
def es_backend(settings, corpus):
    from biodiversitheque.search.backends import get_backend

    settings.SEARCH_URL = os.environ["SEARCH_URL"]
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    backend = get_backend()
    assert backend.name == "elasticsearch"
    return backend


def test_relevance_set_on_elasticsearch(es_backend):
    from .test_relevance import failures

    assert failures(es_backend) == []


def test_facets_and_autocomplete_on_elasticsearch(es_backend):
    results = es_backend.search("mares", {"type": "guide"})
    assert results.results[0]["title"] == "Faire une mare naturelle"
    assert ("guide", results.count) in results.facets["type"]
    assert es_backend.autocomplete("abei")[0]["title"].startswith("Les abeilles sauvages")
