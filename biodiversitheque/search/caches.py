"""What the search page reads on every request but changes rarely (promoted results, facet labels), cached.

Every entry is keyed by one generation number, bumped by the signals that may change any of them (a promotion,
a theme or audience, a page published, moved, deleted or made private): one bump drops them all.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction

from biodiversitheque.core.cache_generations import Generation

GENERATION = Generation("sitesearch:generation")
TIMEOUT = 3600  # also a bound on staleness if a change ever escapes the signals


def cached(name, key, build):
    """build() once per generation for (name, key)."""
    digest = hashlib.blake2s(str(key).encode(), digest_size=12).hexdigest()
    cache_key = f"sitesearch:{name}:{GENERATION.current()}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TIMEOUT)
    return value


def invalidate(**kwargs):
    """Signal receiver: a new generation (the old entries expire on their own), now and once committed."""
    GENERATION.bump()
    # Again after the commit: a search between the save and the commit may have cached the old values.
    transaction.on_commit(GENERATION.bump)
