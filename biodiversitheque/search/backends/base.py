"""One interface for every engine: search(), autocomplete(), and the hooks that keep an engine's copy fresh.

The database engines share the flow here and differ only by the SQL that matches terms (FTS5 or tsvector).
Every query reaches an engine as terms of the normaliser ([a-z0-9]+), quoted, and through parameters.
"""

from dataclasses import dataclass, field

from django.db import connection

from ..models import KIND_LABELS, SearchTerm
from ..text import MIN_TYPO_LENGTH, edits1, query_terms, stem, words

FACETS = ("type", "theme", "audience")


@dataclass
class SearchResults:
    count: int = 0
    exact: bool = True  # False: more than `count` documents matched (the count is capped)
    results: list = field(default_factory=list)  # dicts: id, kind, title, url, summary, text, score
    facets: dict = field(default_factory=lambda: {name: [] for name in FACETS})  # name -> [(value, count)]
    suggestion: str = ""  # the corrected query, when a word was misspelled
    corrected: bool = False  # results shown are those of `suggestion`
    terms: list = field(default_factory=list)  # the terms searched, for highlighting


MAX_TYPO_LENGTH = 30  # no French word of the corpus is longer; longer input is not corrected
MAX_TYPO_WORDS = 8


class SearchBackend:
    name = "base"

    # -- freshness hooks (the database engines read SearchDocument directly: nothing to do)
    def index_documents(self, docs):
        pass

    def delete_documents(self, ids):
        pass

    def rebuild(self, progress=print):
        pass

    # -- searching
    def search(self, query, filters=None, page=1, per_page=10):
        filters = {key: value for key, value in (filters or {}).items() if value and key in FACETS}
        pairs = query_terms(query)
        if not pairs:
            return SearchResults()
        search_terms, suggestion = self.correct(pairs)
        if not search_terms:
            return SearchResults(suggestion=suggestion)
        results = self.run(search_terms, filters, page, per_page, any_term=False)
        if not results.count and len(search_terms) > 1:
            results = self.run(search_terms, filters, page, per_page, any_term=True)
        results.suggestion = suggestion
        results.corrected = bool(suggestion and results.count)
        results.terms = search_terms
        return results

    def correct(self, pairs):
        """Terms to search: known terms, misspelled ones replaced by a known term one letter away."""
        known = dict(SearchTerm.objects.filter(term__in=[term for term, _ in pairs]).values_list("term", "frequency"))
        # Upper bound: a hostile 5,000-letter "word" would cost minutes of edits and stemming (quadratic).
        unknown = [
            (term, word) for term, word in pairs
            if term not in known and MIN_TYPO_LENGTH <= len(word) <= MAX_TYPO_LENGTH
        ][:MAX_TYPO_WORDS]
        fixes = self.spelling_candidates(unknown) if unknown else {}
        search_terms, shown, changed = [], [], False
        for term, word in pairs:
            if term in known:
                search_terms.append(term)
                shown.append(word)
            elif term in fixes:
                fixed_term, fixed_word = fixes[term]
                search_terms.append(fixed_term)
                shown.append(fixed_word)
                changed = True
            else:
                shown.append(word)
        return list(dict.fromkeys(search_terms)), (" ".join(shown) if changed else "")

    def spelling_candidates(self, unknown):
        """{misspelled term: (term, word)} using the vocabulary; the most frequent term wins."""
        candidates = {}
        for term, word in unknown:
            for edit in edits1(term) | {stem(w) for w in edits1(word)}:
                candidates.setdefault(edit, []).append(term)
        rows = SearchTerm.objects.filter(term__in=list(candidates)).order_by("-frequency", "term")
        fixes = {}
        for row in rows.values_list("term", "word", "frequency"):
            for misspelled in candidates[row[0]]:
                fixes.setdefault(misspelled, (row[0], row[1]))
        return fixes

    def run(self, search_terms, filters, page, per_page, any_term):
        raise NotImplementedError

    def autocomplete(self, prefix, limit=8):
        prefix_words = [word for word in words(prefix) if word][:6]
        if not prefix_words or len("".join(prefix_words)) < 2:
            return []
        return self.run_autocomplete(prefix_words, limit)

    def run_autocomplete(self, prefix_words, limit):
        raise NotImplementedError


class DatabaseBackend(SearchBackend):
    """Shared ranking flow; engines give the SQL that matches terms (FTS5 or tsvector).

    The work of a query is bounded by COUNT_CAP, not by the number of matches. Up to COUNT_CAP matches the
    count and facets are exact and every match is scored by the engine (bm25 / ts_rank, boost applied).
    Beyond, a word found in so many documents no longer discriminates (its IDF is about 0): documents with
    the words in their TITLE come first (scored when they are at most COUNT_CAP), then the others, most
    recently indexed first, read from the index in rowid order with a LIMIT; the count reads "more than
    COUNT_CAP" and the facets count the first COUNT_CAP matches.
    """

    COUNT_CAP = 1000
    ids_sql = ""  # SQL selecting the ids given as one parameter (see ids_param)

    def match_ids(self, search_terms, any_term, where, where_params, limit):
        """Ids of matching documents, most recent first, at most `limit`."""
        raise NotImplementedError

    def scored(self, search_terms, any_term, where, where_params, title_only=False, limit=None):
        """(id, score × boost) of matching documents (title-only index when title_only), most recent first."""
        raise NotImplementedError

    def ids_param(self, ids):
        return list(ids)

    def filter_sql(self, filters):
        clauses, params = [], []
        if filters.get("type"):
            clauses.append("d.kind = %s")
            params.append(filters["type"])
        for name in ("theme", "audience"):
            if filters.get(name):
                clauses.append(
                    "EXISTS (SELECT 1 FROM sitesearch_searchfacet ff "
                    "WHERE ff.document_id = d.id AND ff.facet = %s AND ff.value = %s)"
                )
                params += [name, filters[name]]
        return (" AND " + " AND ".join(clauses)) if clauses else "", params

    def run(self, search_terms, filters, page, per_page, any_term):
        where, where_params = self.filter_sql(filters)
        cap = self.COUNT_CAP
        ids = self.match_ids(search_terms, any_term, where, where_params, cap + 1)
        exact = len(ids) <= cap
        if exact:
            rows = self.scored(search_terms, any_term, where, where_params)
            ranked = [pk for pk, _ in sorted(rows, key=lambda row: (-row[1], row[0]))]
            count = len(ranked)
        else:
            ids = ids[:cap]
            title = self.scored(search_terms, any_term, where, where_params, title_only=True, limit=cap + 1)
            if len(title) <= cap:
                title.sort(key=lambda row: (-row[1], row[0]))
            first = [pk for pk, _ in title[:cap]]
            seen = set(first)
            ranked = (first + [pk for pk in ids if pk not in seen])[:cap]
            count = cap
        offset = (max(page, 1) - 1) * per_page
        page_ids = ranked[offset : offset + per_page]
        results = self.fetch(page_ids, search_terms)
        facets = self.facet_counts(ranked if exact else ids)
        return SearchResults(count=count, exact=exact, results=results, facets=facets)

    def facet_counts(self, ids):
        facets = {name: [] for name in FACETS}
        if not ids:
            return facets
        param = self.ids_param(ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 'type', kind, COUNT(*) FROM sitesearch_searchdocument WHERE id IN ({self.ids_sql}) "
                f"GROUP BY kind UNION ALL SELECT facet, value, COUNT(*) FROM sitesearch_searchfacet "
                f"WHERE document_id IN ({self.ids_sql}) GROUP BY facet, value",
                [param, param],
            )
            for facet, value, number in cursor.fetchall():
                facets[facet].append((value, number))
        for values in facets.values():
            values.sort(key=lambda item: (-item[1], item[0]))
        return facets

    def extra_fetch(self, search_terms):
        """Engine-specific columns of a result row (SQL, params)."""
        return "", []

    def fetch(self, page_ids, search_terms=()):
        if not page_ids:
            return []
        placeholders = ", ".join(["%s"] * len(page_ids))
        extra, extra_params = self.extra_fetch(search_terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, kind, title, url, summary, text{extra} FROM sitesearch_searchdocument "
                f"WHERE id IN ({placeholders})",
                [*extra_params, *page_ids],
            )
            columns = [col[0] for col in cursor.description]
            by_id = {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}
        results = [by_id[pk] for pk in page_ids if pk in by_id]
        for row in results:
            row["kind_label"] = KIND_LABELS.get(row["kind"], row["kind"])
        return results
