"""Rate limits on the public endpoints (django-ratelimit), per client address, rates from settings.RATELIMIT_RATES.

Rates are read at request time so that a town can tune them by environment variable (and tests by override_settings).
A blocked request raises Ratelimited, answered by RATELIMIT_VIEW (the French 429 page).
"""

from django.conf import settings
from django_ratelimit.decorators import ratelimit

def _rate(name):
    def rate(group, request):
        return settings.RATELIMIT_RATES[name]

    return rate


def limit(name, method=ratelimit.ALL):
    """Decorator for a view whose first argument is the request: at most RATELIMIT_RATES[name] per address."""
    return ratelimit(group=f"biodiversitheque.{name}", key="ip", rate=_rate(name), method=method, block=True)
