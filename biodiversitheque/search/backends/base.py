"""One interface for every engine: search(), autocomplete(), and the hooks that keep an engine's copy fresh.

The database engines share the flow here and differ only by the SQL that matches terms (FTS5 or tsvector).
Every query reaches an engine as terms of the normaliser ([a-z0-9]+), quoted, and through parameters.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Length

from ..models import SearchTerm
from ..registry import kind_labels
from ..synonyms import expand, synonym_map
from ..text import MIN_TWO_TYPOS_LENGTH, MIN_TYPO_LENGTH, distance_at_most_two, edits1, query_terms, stem, words

FACETS = ("type", "theme", "audience")


@dataclass
class SearchResults:
    count: int = 0
    exact: bool = True  # False: more than `count` documents matched (the count is capped)
    results: list = field(default_factory=list)  # dicts: id, kind, title, url, summary, text, score
    facets: dict = field(default_factory=lambda: {name: [] for name in FACETS})  # name -> [(value, count)]
    suggestion: str = ""  # the corrected query, when a word was misspelled
    corrected: bool = False  # results shown are those of `suggestion`
    terms: list = field(default_factory=list)  # the terms searched (synonyms included), for highlighting
    all_terms: bool = True  # every word of the query matched (False: results match some of them)


def beats(alternative, original):
    """A corrected query's results are better evidence than the original's."""
    if not alternative.count:
        return False
    if not original.count or (alternative.all_terms and not original.all_terms):
        return True
    return alternative.all_terms == original.all_terms and alternative.count >= CORRECTION_MARGIN * original.count


MAX_TYPO_LENGTH = 30  # no French word of the corpus is longer; longer input is not corrected
MAX_TYPO_WORDS = 8
MIN_TWO_TYPOS_FREQUENCY = 2  # a word two edits away is corrected only to a term of several documents
CORRECTION_MARGIN = 3  # a correction that only finds more must find this many times more


def vocabulary_rows(terms):
    """(term, word) of those of `terms` in the vocabulary, most frequent first, in one query whose candidates
    are one parameter: the ORM takes longer to build an IN of the thousand edits of a word than the database
    takes to answer it."""
    terms = list(terms)
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    if connection.vendor == "postgresql":
        where, param = "term = ANY(%s)", terms
    elif connection.vendor == "sqlite":
        where, param = "term IN (SELECT value FROM json_each(%s))", json.dumps(terms)
    else:
        return list(SearchTerm.objects.filter(term__in=terms).order_by("-frequency", "term").values_list("term", "word"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, word FROM {table} WHERE {where} ORDER BY frequency DESC, term", [param])
        return cursor.fetchall()


class SearchBackend:
    name = "base"

    # -- freshness hooks (the database engines read SearchDocument directly: nothing to do)
    def index_documents(self, docs):
        pass

    def delete_documents(self, ids):
        pass

    def rebuild(self, progress=print):
        pass

    @contextmanager
    def bulk_load(self):
        """Around a rebuild's deletes and inserts (inside its transaction): engines may defer their own indexing."""
        yield

    # -- searching
    def search(self, query, filters=None, page=1, per_page=10, correct=True):
        """Results of the query as typed; a corrected query replaces it only when it clearly finds more.

        Words are expanded with the librarians' synonyms. A correction is searched only when a word is unknown
        and has a near known word; it wins when the original finds nothing, or only some of its words while
        the correction finds all of them, or CORRECTION_MARGIN times fewer documents. It is then shown with
        a link to the query as typed (`correct=False`).
        """
        filters = {key: value for key, value in (filters or {}).items() if value and key in FACETS}
        pairs = query_terms(query)
        if not pairs:
            return SearchResults()
        synonyms = synonym_map()
        original, fixed, suggestion, frequencies = self.correct(pairs, synonyms) if correct else (pairs, None, "", {})
        results = self.run_groups(expand(original), filters, page, per_page, frequencies)
        if fixed is not None:
            alternative = self.run_groups(expand(fixed), filters, page, per_page)
            if beats(alternative, results):
                alternative.suggestion, alternative.corrected = suggestion, True
                return alternative
        return results

    def run_groups(self, groups, filters, page, per_page, frequencies=None):
        """All words first; none found together: any of them (all_terms tells which).

        `frequencies`: {term: documents having it} from the vocabulary, 0 for a misspelled term. A word whose
        alternatives are all in no document cannot match: the engine is not asked. The counts also bound the
        number of matches, which lets the engine choose its plan (see DatabaseBackend.run)."""
        if not groups:
            return SearchResults(all_terms=False)
        frequencies = frequencies or {}
        per_word = [
            sum(frequencies[term] for term, _ in group) if all(term in frequencies for term, _ in group) else None
            for group in groups
        ]
        known = [count for count in per_word if count is not None]
        if 0 in per_word:
            results = SearchResults()
        else:
            bound = min(known) if known else None  # all words: at most as many as the rarest one
            results = self.run(groups, filters, page, per_page, any_term=False, bound=bound, counts=per_word)
        results.all_terms = True
        if not results.count and len(groups) > 1:
            if all(count == 0 for count in per_word):
                results = SearchResults()
            else:
                bound = sum(known) if len(known) == len(per_word) else None
                results = self.run(groups, filters, page, per_page, any_term=True, bound=bound, counts=per_word)
            results.all_terms = False
        results.terms = list(dict.fromkeys(term for group in groups for term, _ in group))
        return results

    def correct(self, pairs, synonyms):
        """(pairs to search, corrected pairs or None, corrected query shown, {term: documents having it}).

        Unknown words without a near known word are left out of both searches; a word with synonyms is never
        corrected (the librarians declared it).
        """
        frequencies = dict(SearchTerm.objects.filter(term__in=[term for term, _ in pairs]).values_list("term", "frequency"))
        known = set(frequencies)
        known |= {term for term, _ in pairs if term in synonyms}
        # Upper bound: a hostile 5,000-letter "word" would cost minutes of edits and stemming (quadratic).
        unknown = [
            (term, word) for term, word in pairs
            if term not in known and MIN_TYPO_LENGTH <= len(word) <= MAX_TYPO_LENGTH
        ][:MAX_TYPO_WORDS]
        fixes = self.spelling_candidates(unknown) if unknown else {}
        distant = [(term, word) for term, word in unknown if term not in fixes and len(word) >= MIN_TWO_TYPOS_LENGTH]
        if distant:
            fixes.update(self.distant_candidates(distant))
        original = [(term, word) for term, word in pairs if term in known or term in fixes]
        if not any(term in fixes for term, _ in pairs):
            return original, None, "", frequencies
        frequencies.update((term, 0) for term in fixes)  # outside the vocabulary: in no document
        fixed = [fixes.get(term, (term, word)) for term, word in original]
        shown = " ".join(fixes[term][1] if term in fixes else word for term, word in pairs)
        return original, list(dict(fixed).items()), shown, frequencies

    def spelling_candidates(self, unknown):
        """{misspelled term: (term, word)} using the vocabulary; the most frequent term wins."""
        candidates = {}
        for term, word in unknown:
            for edit in edits1(term) | {stem(w) for w in edits1(word)}:
                candidates.setdefault(edit, []).append(term)
        fixes = {}
        for term, word in vocabulary_rows(candidates):
            for misspelled in candidates[term]:
                fixes.setdefault(misspelled, (term, word))
        return fixes

    def distant_candidates(self, unknown):
        """{misspelled long term: (term, word)}: a frequent term two edits away, same first letter, one query."""
        query = Q()
        for term, _ in unknown:
            query |= Q(term__startswith=term[0], length__gte=len(term) - 2, length__lte=len(term) + 2)
        rows = (
            SearchTerm.objects.annotate(length=Length("term"))
            .filter(query, frequency__gte=MIN_TWO_TYPOS_FREQUENCY)
            .order_by("-frequency", "term")
            .values_list("term", "word")
        )
        fixes = {}
        for candidate, shown in rows:
            for term, _ in unknown:
                if term not in fixes and candidate[0] == term[0] and distance_at_most_two(term, candidate):
                    fixes[term] = (candidate, shown)
        return fixes

    def run(self, groups, filters, page, per_page, any_term, bound=None, counts=None):
        """One page of results; `groups`: per query word, its (term, word) alternatives (synonyms); `bound`:
        at most this many documents match (None: unknown); `counts`: per word, the documents having it (None:
        unknown), from the vocabulary."""
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
    kinds_table = "sitesearch_searchdocument"  # where facet counts read the documents' kinds

    def scored(self, search_terms, any_term, where, where_params, title_only=False, limit=None):
        """(id, score × boost) of matching documents (title-only index when title_only), most recent first."""
        raise NotImplementedError

    def matching(self, search_terms, any_term, where, where_params, limit, counts=None):
        """Ids of matching documents, most recent first, at most `limit`, unscored (`counts`: see run())."""
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

    def run(self, groups, filters, page, per_page, any_term, bound=None, counts=None):
        search_terms = [tuple(term for term, _ in group) for group in groups]
        where, where_params = self.filter_sql(filters)
        cap = self.COUNT_CAP
        rows = None
        if bound is None or bound <= cap:
            # Few matches (or no estimate): one query finds and scores them (most recent first, at most cap + 1).
            rows = self.scored(search_terms, any_term, where, where_params, limit=cap + 1)
            found = [pk for pk, _ in rows]
        else:
            # Maybe many: their ids first, unscored; beyond the cap scores would be thrown away, and scoring
            # a thousand rows costs several times finding them.
            found = self.matching(search_terms, any_term, where, where_params, limit=cap + 1, counts=counts)
        if not found:
            return SearchResults()
        exact = len(found) <= cap
        if exact:
            if rows is None:
                rows = self.scored(search_terms, any_term, where, where_params, limit=cap + 1)
            ranked = [pk for pk, _ in sorted(rows, key=lambda row: (-row[1], row[0]))]
            count = len(ranked)
        else:
            ids = found[:cap]
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
                f"SELECT 'type', kind, COUNT(*) FROM {self.kinds_table} WHERE id IN ({self.ids_sql}) "
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
        labels = kind_labels()
        for row in results:
            row["kind_label"] = labels.get(row["kind"], row["kind"])
        return results
