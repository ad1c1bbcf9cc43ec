"""Elasticsearch engine without a server: the index definition and the generated requests."""

import pytest

from biodiversitheque.search.backends.elasticsearch import (
    ElasticsearchBackend,
    IndexedDocument,
    build_autocomplete,
    build_search,
)


def test_index_analyses_french():
    settings = IndexedDocument._index.to_dict()["settings"]["analysis"]
    assert settings["analyzer"]["biodiv_french"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["french_elision", "lowercase", "french_stop", "asciifolding", "french_stemmer"],
    }
    assert settings["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert settings["filter"]["french_stop"] == {"type": "stop", "stopwords": "_french_"}
    assert "l" in settings["filter"]["french_elision"]["articles"]
    mapping = IndexedDocument._doc_type.mapping.to_dict()["properties"]
    assert mapping["title_terms"] == {"type": "text", "analyzer": "whitespace"}
    assert mapping["title"]["analyzer"] == "biodiv_french"
    assert mapping["title"]["fields"]["autocomplete"]["search_analyzer"] == "biodiv_folded"
    assert mapping["themes"] == {"type": "keyword"}


def test_search_request_matches_our_terms_weights_titles_and_filters():
    body = build_search(
        ["mar", "naturel"], "mares naturelles", {"theme": "haies", "type": "guide", "bogus": "x"}, page=3, per_page=10
    ).to_dict()
    function_score = body["query"]["bool"]["must"][0]["function_score"]
    terms = function_score["query"]["bool"]["must"][0]["multi_match"]
    assert terms["fields"] == ["title_terms^10", "summary_terms^4", "body_terms"]
    assert (terms["operator"], terms["query"]) == ("and", "mar naturel")
    french = function_score["query"]["bool"]["should"][0]["multi_match"]
    assert (french["fields"], french["query"]) == (["title^10", "summary^4", "text"], "mares naturelles")
    assert function_score["functions"] == [{"field_value_factor": {"field": "boost", "missing": 1}}]
    assert {"term": {"themes": "haies"}} in body["query"]["bool"]["filter"]
    assert {"term": {"kind": "guide"}} in body["query"]["bool"]["filter"]
    assert len(body["query"]["bool"]["filter"]) == 2
    assert (body["from"], body["size"]) == (20, 10)
    assert set(body["aggs"]) == {"type", "theme", "audience"}
    assert body["track_total_hits"] is True
    assert body["highlight"]["fields"]["text"]["pre_tags"] == ["\x02"]


def test_fallback_query_matches_any_term():
    body = build_search(["mar", "hai"], "mare haie", any_term=True).to_dict()
    match = body["query"]["function_score"]["query"]["bool"]["must"][0]["multi_match"]
    assert match["operator"] == "or" and match["query"] == "mar hai"


def test_autocomplete_request_uses_edge_ngrams():
    body = build_autocomplete(["abei", "sauv"], limit=5).to_dict()
    assert body["query"] == {"match": {"title.autocomplete": {"query": "abei sauv", "operator": "and"}}}
    assert body["sort"] == [{"boost": {"order": "desc"}}, "_score"]
    assert body["size"] == 5


def test_unreachable_server_falls_back_to_the_database(db, resource_index):
    from tests.factories import GuidePageFactory

    backend = ElasticsearchBackend("http://127.0.0.1:9")  # nothing listens there
    page = GuidePageFactory(parent=resource_index, title="Faire une mare naturelle", live=False)
    page.save_revision().publish()
    assert [row["title"] for row in backend.search("mares").results] == ["Faire une mare naturelle"]
    assert backend.autocomplete("mar")[0]["title"] == "Faire une mare naturelle"
