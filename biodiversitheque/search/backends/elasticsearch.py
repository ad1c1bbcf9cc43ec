"""Elasticsearch / OpenSearch (SEARCH_URL): a copy of SearchDocument analysed in French by the engine.

The database table stays the source of truth: signals write it, then push the changed rows here. If the
server cannot be reached, searches fall back to the database engine and a warning is logged.
"""

import logging

from django.db import connection
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Document, Float, Keyword, Q, Text, analyzer, connections, token_filter, tokenizer

from ..models import KIND_LABELS, SearchDocument, SearchFacet
from .base import FACETS, SearchBackend, SearchResults

logger = logging.getLogger(__name__)
ALIAS = "sitesearch"
INDEX_NAME = "biodiversitheque-recherche"

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
    url = Keyword(index=False)
    themes = Keyword(multi=True)
    audiences = Keyword(multi=True)
    boost = Float()

    class Index:
        name = INDEX_NAME
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def to_action(doc, themes, audiences):
    return {
        "_index": INDEX_NAME,
        "_id": doc.pk,
        "_source": {
            "kind": doc.kind, "title": doc.title, "summary": doc.summary, "text": doc.text, "url": doc.url,
            "themes": themes, "audiences": audiences, "boost": doc.boost,
        },
    }


def build_search(query, filters=None, page=1, per_page=10, any_term=False):
    """The request for a query: titles weigh most, one typo allowed from 5 letters, facets as aggregations.

    `query` is the text, or per word the list of its alternatives (the word and its synonyms).
    """
    def words_match(text, operator):
        return Q("multi_match", query=text, fields=["title^10", "summary^4", "text"], type="most_fields",
                 operator=operator, fuzziness="AUTO:5,100", prefix_length=1)

    if isinstance(query, str) or all(len(group) == 1 for group in query):
        text = query if isinstance(query, str) else " ".join(group[0] for group in query)
        match = words_match(text, "or" if any_term else "and")
    else:
        per_word = [words_match(" ".join(group), "or") for group in query]
        match = Q("bool", should=per_word, minimum_should_match=1) if any_term else Q("bool", must=per_word)
    search = IndexedDocument.search(using=ALIAS).query(
        Q("function_score", query=match, field_value_factor={"field": "boost", "missing": 1}, boost_mode="multiply")
    )
    fields = {"type": "kind", "theme": "themes", "audience": "audiences"}
    for name, value in (filters or {}).items():
        if value and name in fields:
            search = search.filter("term", **{fields[name]: value})
    for name, field in fields.items():
        search.aggs.bucket(name, "terms", field=field, size=50)
    search = search.extra(track_total_hits=True).source(["kind", "title", "url", "summary", "text"])
    offset = (max(page, 1) - 1) * per_page
    return search[offset : offset + per_page]


def build_autocomplete(prefix_words, limit=8):
    return IndexedDocument.search(using=ALIAS).query(
        "match", **{"title.autocomplete": {"query": " ".join(prefix_words), "operator": "and"}}
    ).source(["title", "url", "kind"])[:limit]


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url):
        self.url = url
        connections.create_connection(alias=ALIAS, hosts=[url], request_timeout=5)

    @property
    def client(self):
        return connections.get_connection(ALIAS)

    def fallback(self):
        from .postgres import PostgresBackend
        from .sqlite import SQLiteBackend

        return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()

    def index_documents(self, docs):
        themes, audiences = {}, {}
        for doc_id, facet, value in SearchFacet.objects.filter(
            document__in=[doc.pk for doc in docs]
        ).values_list("document_id", "facet", "value"):
            (themes if facet == "theme" else audiences).setdefault(doc_id, []).append(value)
        try:
            bulk(self.client, (to_action(doc, themes.get(doc.pk, []), audiences.get(doc.pk, [])) for doc in docs))
        except Exception:  # publishing must not fail because the search server is down; rebuild later
            logger.warning("Recherche : envoi à Elasticsearch impossible", exc_info=True)

    def delete_documents(self, ids):
        try:
            bulk(
                self.client,
                ({"_op_type": "delete", "_index": INDEX_NAME, "_id": pk} for pk in ids),
                raise_on_error=False,
            )
        except Exception:
            logger.warning("Recherche : suppression dans Elasticsearch impossible", exc_info=True)

    def rebuild(self, progress=print):
        index = IndexedDocument._index.clone(using=ALIAS)
        if index.exists():
            index.delete()
        IndexedDocument.init(using=ALIAS)
        docs = SearchDocument.objects.order_by("pk")
        for start in range(0, docs.count(), 500):
            self.index_documents(list(docs[start : start + 500]))
        self.client.indices.refresh(index=INDEX_NAME)
        progress("Elasticsearch : index reconstruit.")

    def search(self, query, filters=None, page=1, per_page=10, correct=True):
        try:
            return super().search(query, filters, page, per_page, correct)
        except Exception:
            logger.warning("Recherche : Elasticsearch injoignable, recherche dans la base", exc_info=True)
            return self.fallback().search(query, filters, page, per_page, correct)

    def run(self, groups, filters, page, per_page, any_term):
        return self.run_query([[word for _, word in group] for group in groups], filters, page, per_page, any_term)

    def run_query(self, query, filters, page, per_page, any_term):
        response = build_search(query, filters, page, per_page, any_term).execute()
        facets = {name: [(b.key, b.doc_count) for b in getattr(response.aggregations, name).buckets] for name in FACETS}
        results = [
            {
                "id": int(hit.meta.id), "kind": hit.kind, "title": hit.title, "url": hit.url,
                "summary": getattr(hit, "summary", ""), "text": getattr(hit, "text", ""), "score": hit.meta.score,
                "kind_label": KIND_LABELS.get(hit.kind, hit.kind),
            }
            for hit in response
        ]
        return SearchResults(count=response.hits.total.value, results=results, facets=facets)

    def run_autocomplete(self, prefix_words, limit):
        try:
            return [{"title": h.title, "url": h.url, "type": h.kind} for h in build_autocomplete(prefix_words, limit).execute()]
        except Exception:
            logger.warning("Recherche : Elasticsearch injoignable (autocomplétion)", exc_info=True)
            return self.fallback().run_autocomplete(prefix_words, limit)
