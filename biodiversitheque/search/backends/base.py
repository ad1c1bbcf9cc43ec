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
    """Shared SQL around an engine-specific `match` subquery giving (id, score), higher score first."""

    def match_sql(self, search_terms, any_term, scored=True):
        """SQL giving (id, score) of matching documents; with scored=False only ids (counts and facets)."""
        raise NotImplementedError

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
        match, match_params = self.match_sql(search_terms, any_term, scored=False)
        where, where_params = self.filter_sql(filters)
        source = f"FROM sitesearch_searchdocument d WHERE d.id IN ({match})"
        base = f"{source}{where}"
        params = match_params + where_params
        facets = {name: [] for name in FACETS}
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 'type', d.kind, COUNT(*) {base} GROUP BY d.kind UNION ALL "
                f"SELECT f.facet, f.value, COUNT(*) FROM sitesearch_searchfacet f JOIN sitesearch_searchdocument d "
                f"ON d.id = f.document_id WHERE d.id IN ({match}){where} GROUP BY f.facet, f.value",
                params + params,
            )
            for facet, value, number in cursor.fetchall():
                facets[facet].append((value, number))
                if facet == "type":
                    count += number
            results = []
            offset = (max(page, 1) - 1) * per_page
            if count and offset < count:
                scored, scored_params = self.match_sql(search_terms, any_term)
                cursor.execute(
                    f"SELECT d.id, d.kind, d.title, d.url, d.summary, d.text, m.score * d.boost AS rank "
                    f"FROM ({scored}) m JOIN sitesearch_searchdocument d ON d.id = m.id WHERE 1 = 1{where} "
                    "ORDER BY rank DESC, d.id LIMIT %s OFFSET %s",
                    scored_params + where_params + [per_page, offset],
                )
                columns = [col[0] for col in cursor.description]
                results = [dict(zip(columns, row)) for row in cursor.fetchall()]
        for values in facets.values():
            values.sort(key=lambda item: (-item[1], item[0]))
        for row in results:
            row["kind_label"] = KIND_LABELS.get(row["kind"], row["kind"])
        return SearchResults(count=count, results=results, facets=facets)
