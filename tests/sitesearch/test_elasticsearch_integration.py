"""Against a real OpenSearch/Elasticsearch node (SEARCH_URL, started by `make search-node`).

Not run without SEARCH_URL; `make test` sets it when it could start the node, and CI requires it.
"""

import logging
import os

import pytest
from django.core.management import call_command

from biodiversitheque.search.backends import get_backend
from tests.factories import GuidePageFactory, ThemeFactory

pytestmark = pytest.mark.skipif(not os.environ.get("SEARCH_URL"), reason="SEARCH_URL non défini : pas de nœud")


@pytest.fixture
def guides(resource_index):
    mares = ThemeFactory(slug="mares-et-zones-humides", name="Mares et zones humides")
    for title, summary in [
        ("Faire une mare naturelle", "Creuser une mare sans bâche pour les tritons."),
        ("Les abeilles sauvages : les reconnaître et les accueillir", "Osmies, andrènes, bourdons et xylocopes."),
        ("Planter une haie champêtre", "Des arbustes locaux pour les oiseaux."),
    ]:
        GuidePageFactory(parent=resource_index, title=title, summary=summary, live=False, themes=[mares]
                         ).save_revision().publish()


@pytest.fixture
def backend(guides):
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    backend = get_backend()
    assert backend.name == "elasticsearch"
    return backend


def indexes_behind_alias(backend):
    from django.conf import settings

    return sorted(backend.client.indices.get_alias(name=settings.SEARCH_INDEX))


def test_the_node_answers_with_the_client_of_its_distribution(backend):
    from opensearchpy import OpenSearch

    assert backend.transport.distribution == "opensearch"
    assert isinstance(backend.client, OpenSearch)
    assert backend.transport.version.startswith("2.19.")


def test_french_analysis_of_the_index(backend):
    from django.conf import settings

    tokens = backend.client.indices.analyze(
        index=settings.SEARCH_INDEX, body={"analyzer": "biodiv_french", "text": "L'Abeille et les Fleurs sauvages"}
    )["tokens"]
    # elision (l'), stop words, lowercase, light_french stemming
    assert [t["token"] for t in tokens] == ["abeil", "fleu", "sauvag"]  # light_french: « fleurs » -> « fleu »


def test_facets_highlights_and_autocomplete(backend):
    results = backend.search("mares", {"type": "guide"})
    assert results.results[0]["title"] == "Faire une mare naturelle"
    assert ("guide", results.count) in results.facets["type"]
    assert backend.autocomplete("abei")[0]["title"].startswith("Les abeilles sauvages")


def test_a_typo_is_corrected_through_the_shared_pipeline(backend):
    results = backend.search("abielles")
    assert results.corrected and results.suggestion == "abeilles"
    assert results.results[0]["title"].startswith("Les abeilles sauvages")


def test_publication_and_deletion_reach_the_node_at_once(backend, resource_index):
    page = GuidePageFactory(parent=resource_index, title="Le crapaud accoucheur", live=False)
    page.save_revision().publish()
    assert [row["title"] for row in backend.search("crapaud").results] == ["Le crapaud accoucheur"]
    page.delete()
    assert backend.search("crapaud").count == 0


def test_rebuild_swaps_the_alias_onto_a_new_index(backend):
    before = indexes_behind_alias(backend)
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    after = indexes_behind_alias(backend)
    assert len(after) == 1 and after != before
    assert not backend.client.indices.exists(index=before[0])  # the old index is dropped
    assert backend.search("mares").count >= 1


def test_rebuild_reports_its_progress(backend, capsys):
    messages = []
    backend.rebuild(progress=messages.append)
    assert any("document(s) envoyé(s)" in message for message in messages)
    assert "sous l'alias" in messages[-1]


def test_unreachable_node_falls_back_to_the_database_with_a_warning(backend, caplog):
    from biodiversitheque.search.backends.elasticsearch import ElasticsearchBackend

    down = ElasticsearchBackend("http://127.0.0.1:9")  # nothing listens there
    with caplog.at_level(logging.WARNING):
        assert down.search("mares").results[0]["title"] == "Faire une mare naturelle"
    assert "injoignable" in caplog.text
