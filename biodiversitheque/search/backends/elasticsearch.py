"""Elasticsearch / OpenSearch (SEARCH_URL): a copy of SearchDocument analysed in French by the engine.

The database table stays the source of truth: signals write it, then push the changed rows here. Queries go
through the same pipeline as the database engines (known terms, spelling correction, any-word fallback);
the engine matches, ranks, counts facets and highlights. Requests are built with elasticsearch-dsl and sent
by the client of the server that answers: `opensearch-py` for OpenSearch, `elasticsearch` otherwise (the
Elasticsearch 8 client refuses to talk to OpenSearch). If the server cannot be reached, searches fall back
to the database engine and a warning is logged.
"""

import json
import logging
import time
import urllib.request

from django.conf import settings
from django.db import connection
from elasticsearch_dsl import Document, Float, Keyword, Q, Search, Text, analyzer, token_filter, tokenizer

from ..models import SearchDocument, SearchFacet, SearchTerm
from ..registry import kind_labels
from .base import FACETS, SearchBackend, SearchResults
from .postgres import PostgresBackend
from .sqlite import SQLiteBackend

logger = logging.getLogger(__name__)
BATCH_SIZE = 500

french_elision = token_filter(
    "french_elision",
    "elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", "stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", "stemmer", language="light_french")
# Stop words are matched before folding: the _french_ list is written with its accents ("été").
french = analyzer(
    "biodiv_french",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding", french_stemmer],
)
folded = analyzer("biodiv_folded", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding"])
autocomplete = analyzer(
    "biodiv_autocomplete",
    tokenizer=tokenizer("biodiv_edge", "edge_ngram", min_gram=2, max_gram=15, token_chars=["letter", "digit"]),
    filter=["lowercase", "asciifolding"],
)


class IndexedDocument(Document):
    kind = Keyword()
    title = Text(analyzer=french, fields={"autocomplete": Text(analyzer=autocomplete, search_analyzer=folded)})
    summary = Text(analyzer=french)
    text = Text(analyzer=french)
    # Our normaliser's terms (stems of folded words), as the database engines match them: same results.
    title_terms = Text(analyzer="whitespace")
    summary_terms = Text(analyzer="whitespace")
    body_terms = Text(analyzer="whitespace")
    url = Keyword(index=False)
    themes = Keyword(multi=True)
    audiences = Keyword(multi=True)
    boost = Float()

    class Index:
        name = "biodiversitheque-recherche"  # replaced by settings.SEARCH_INDEX (an alias) when used
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def alias_name():
    return settings.SEARCH_INDEX


def index_body():
    """Settings (French analysis) and mappings of a new index."""
    return IndexedDocument._index.to_dict()


def to_action(doc, themes, audiences, index):
    return {
        "_index": index,
        "_id": doc.pk,
        "_source": {
            "kind": doc.kind, "title": doc.title, "summary": doc.summary, "text": doc.text, "url": doc.url,
            "themes": themes, "audiences": audiences, "boost": doc.boost,
            "title_terms": doc.title_norm, "summary_terms": doc.summary_norm, "body_terms": doc.body_norm,
        },
    }


def _groups(search_terms):
    """Per query word, its alternative terms (the word's own and its synonyms')."""
    return [list(item) if isinstance(item, (list, tuple)) else [item] for item in search_terms]


def build_search(search_terms, words="", filters=None, page=1, per_page=10, any_term=False):
    """The request for a query: titles weigh most, facets as aggregations, the best passage highlighted.

    `search_terms`: our normaliser's terms, or per query word the list of its alternatives (synonyms).
    Documents match on our terms (as in the database engines); the French analysis of the words adds to
    the score of those that also match by the engine's own stemming, and finds the passage to highlight.
    """
    groups = _groups(search_terms)
    fields = ["title_terms^10", "summary_terms^4", "body_terms"]

    def terms_match(text, operator):
        return Q("multi_match", query=text, fields=fields, type="most_fields", operator=operator)

    if all(len(group) == 1 for group in groups):
        terms = terms_match(" ".join(group[0] for group in groups), "or" if any_term else "and")
    else:
        per_word = [terms_match(" ".join(group), "or") for group in groups]
        terms = Q("bool", should=per_word, minimum_should_match=1) if any_term else Q("bool", must=per_word)
    match = Q(
        "bool",
        must=[terms],
        should=[Q("multi_match", query=words, fields=["title^10", "summary^4", "text"], type="most_fields")] if words else [],
    )
    search = Search().query(
        Q("function_score", query=match, field_value_factor={"field": "boost", "missing": 1}, boost_mode="multiply")
    )
    fields = {"type": "kind", "theme": "themes", "audience": "audiences"}
    for name, value in (filters or {}).items():
        if value and name in fields:
            search = search.filter("term", **{fields[name]: value})
    for name, field in fields.items():
        search.aggs.bucket(name, "terms", field=field, size=50)
    # Control characters as marks: the view escapes the text, then turns them into <mark> (as for PostgreSQL).
    search = search.highlight(
        "text", fragment_size=200, number_of_fragments=1, pre_tags=["\x02"], post_tags=["\x03"],
        highlight_query=Q("match", text=words or " ".join(term for group in groups for term in group)).to_dict(),
    )
    search = search.extra(track_total_hits=True).source(["kind", "title", "url", "summary", "text"])
    offset = (max(page, 1) - 1) * per_page
    return search[offset : offset + per_page]


def build_autocomplete(prefix_words, limit=8):
    return Search().query(
        "match", **{"title.autocomplete": {"query": " ".join(prefix_words), "operator": "and"}}
    ).sort("-boost", "_score").source(["title", "url", "kind"])[:limit]


class Transport:
    """The few calls we make, on the client of the server that answers (OpenSearch or Elasticsearch)."""

    def __init__(self, url):
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - the configured SEARCH_URL
            info = json.load(response)
        self.distribution = info.get("version", {}).get("distribution", "elasticsearch")
        self.version = info.get("version", {}).get("number", "")
        if self.distribution == "opensearch":
            from opensearchpy import OpenSearch
            from opensearchpy.helpers import bulk

            self.client = OpenSearch(hosts=[url], timeout=5, max_retries=0)
        else:
            from elasticsearch import Elasticsearch
            from elasticsearch.helpers import bulk

            self.client = Elasticsearch(url, request_timeout=5, max_retries=0)
        self._bulk = bulk

    def bulk(self, actions, **kwargs):
        return self._bulk(self.client, actions, **kwargs)

    def search(self, index, body):
        return self.client.search(index=index, body=body)


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url):
        self.url = url
        self._transport = None

    @property
    def transport(self):
        # Connected on first use, and again after a failure: the server may start after the site.
        if self._transport is None:
            self._transport = Transport(self.url)
        return self._transport

    @property
    def client(self):
        return self.transport.client

    def fallback(self):
        return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()

    def _failed(self, message):
        self._transport = None
        logger.warning(message, exc_info=True)

    # -- index maintenance
    def create_index(self):
        """A new, empty index named after the alias and the time."""
        name = f"{alias_name()}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1000000:06d}"
        self.client.indices.create(index=name, body=index_body())
        return name

    def ensure_alias(self):
        """Live updates before any rebuild: create the first index behind the alias."""
        alias = alias_name()
        if not self.client.indices.exists_alias(name=alias):
            name = self.create_index()
            self.client.indices.update_aliases(body={"actions": [{"add": {"index": name, "alias": alias}}]})
        return alias

    def _actions(self, docs, index):
        themes, audiences = {}, {}
        for doc_id, facet, value in SearchFacet.objects.filter(
            document__in=[doc.pk for doc in docs]
        ).values_list("document_id", "facet", "value"):
            (themes if facet == "theme" else audiences).setdefault(doc_id, []).append(value)
        return [to_action(doc, themes.get(doc.pk, []), audiences.get(doc.pk, []), index) for doc in docs]

    def index_documents(self, docs):
        if not docs:
            return
        try:
            # refresh: a publication is searchable as soon as the editor's page reloads
            self.transport.bulk(self._actions(docs, self.ensure_alias()), refresh=True)
        except Exception:  # publishing must not fail because the search server is down; rebuild later
            self._failed("Recherche : envoi au moteur de recherche impossible")

    def delete_documents(self, ids):
        if not ids:
            return
        try:
            self.transport.bulk(
                ({"_op_type": "delete", "_index": alias_name(), "_id": pk} for pk in ids),
                raise_on_error=False,
                refresh=True,
            )
        except Exception:
            self._failed("Recherche : suppression dans le moteur de recherche impossible")

    def rebuild(self, progress=print):
        """Zero downtime: fill a new index, then move the alias onto it in one step and drop the old ones."""
        alias = alias_name()
        name = self.create_index()
        docs = SearchDocument.objects.order_by("pk")
        total, done = docs.count(), 0
        for start in range(0, total, BATCH_SIZE):
            batch = list(docs[start : start + BATCH_SIZE])
            self.transport.bulk(self._actions(batch, name))
            done += len(batch)
            progress(f"Moteur de recherche : {done}/{total} document(s) envoyé(s)")
        self.client.indices.refresh(index=name)
        old = list(self.client.indices.get_alias(name=alias)) if self.client.indices.exists_alias(name=alias) else []
        actions = [{"remove": {"index": index, "alias": alias}} for index in old]
        self.client.indices.update_aliases(body={"actions": [*actions, {"add": {"index": name, "alias": alias}}]})
        for index in old:
            self.client.indices.delete(index=index)
        progress(f"Moteur de recherche ({self.transport.distribution} {self.transport.version}) : "
                 f"index {name} en service sous l'alias {alias}.")

    # -- searching: the shared pipeline (base.search) calls run() with known terms
    def search(self, query, filters=None, page=1, per_page=10, correct=True):
        try:
            return super().search(query, filters, page, per_page, correct)
        except Exception:
            self._failed("Recherche : moteur de recherche injoignable, recherche dans la base")
            return self.fallback().search(query, filters, page, per_page, correct)

    def run(self, groups, filters, page, per_page, any_term, bound=None, counts=None):
        """`groups`: per query word, its (term, word) alternatives (synonyms), as for the database engines."""
        search_terms = [[term for term, _ in group] for group in groups]
        flat = [term for group in search_terms for term in group]
        # Terms are stems of our normaliser; the engine analyses words: send a word of the text for each term.
        shown = dict(SearchTerm.objects.filter(term__in=flat).values_list("term", "word"))
        query = " ".join(shown.get(term, term) for term in flat)
        body = build_search(search_terms, query, filters, page, per_page, any_term).to_dict()
        response = self.transport.search(alias_name(), body)
        aggregations = response.get("aggregations", {})
        facets = {
            name: [(b["key"], b["doc_count"]) for b in aggregations.get(name, {}).get("buckets", [])] for name in FACETS
        }
        results = []
        labels = kind_labels()
        for hit in response["hits"]["hits"]:
            source = hit["_source"]
            fragments = hit.get("highlight", {}).get("text", [])
            results.append({
                "id": int(hit["_id"]), "kind": source["kind"], "title": source["title"], "url": source["url"],
                "summary": source.get("summary", ""), "text": source.get("text", ""), "score": hit["_score"],
                "headline": fragments[0] if fragments else "",
                "kind_label": labels.get(source["kind"], source["kind"]),
            })
        return SearchResults(count=response["hits"]["total"]["value"], results=results, facets=facets)

    def run_autocomplete(self, prefix_words, limit):
        try:
            response = self.transport.search(alias_name(), build_autocomplete(prefix_words, limit).to_dict())
        except Exception:
            self._failed("Recherche : moteur de recherche injoignable (autocomplétion)")
            return self.fallback().run_autocomplete(prefix_words, limit)
        return [
            {"title": h["_source"]["title"], "url": h["_source"]["url"], "type": h["_source"]["kind"]}
            for h in response["hits"]["hits"]
        ]
