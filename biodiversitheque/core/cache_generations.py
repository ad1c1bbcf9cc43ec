"""A generation number kept in the cache: entries are keyed by it, and one bump drops them all (the old
entries expire on their own). Used by the page shell and by the search page's caches."""

from django.core.cache import cache


class Generation:
    def __init__(self, key):
        self.key = key

    def current(self):
        value = cache.get(self.key)
        if value is None:
            value = 1
            cache.add(self.key, value, None)
        return value

    def bump(self):
        try:
            cache.incr(self.key)
        except ValueError:  # not set yet (or evicted): start past the first generation
            cache.set(self.key, 2, None)
