"""The librarians' synonyms as a map of terms, cached and dropped whenever a synonym changes."""

from django.core.cache import cache
from django.db import transaction

from .models import Synonym
from .text import terms

CACHE_KEY = "sitesearch:synonyms:1"


def synonym_map():
    """{term: ((term, word), …)}: every term of a synonym group gives the whole group, itself first."""
    groups = cache.get(CACHE_KEY)
    if groups is None:
        groups = {}
        for words in Synonym.objects.filter(is_active=True).values_list("words", flat=True):
            group = {}
            for word in words.split(","):
                word_terms = terms(word)
                if len(word_terms) == 1:
                    group.setdefault(word_terms[0], word.strip().lower())
            for term in group:
                known = dict(groups.get(term, ()))
                known.update({other: shown for other, shown in group.items() if other not in known})
                groups[term] = tuple(known.items())
        cache.set(CACHE_KEY, groups, None)
    return groups


def clear_cache(**kwargs):
    cache.delete(CACHE_KEY)
    # Again once committed: a search between the save and the commit may have cached the old list.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def expand(pairs):
    """Query (term, word) pairs -> groups of (term, word) alternatives: the word itself, then its synonyms."""
    groups = synonym_map()
    expanded = []
    for term, word in pairs:
        alternatives = {term: word}
        for other, shown in groups.get(term, ()):
            alternatives.setdefault(other, shown)
        expanded.append(tuple(alternatives.items()))
    return expanded
