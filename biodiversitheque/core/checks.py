"""System checks of the project's own deployment rules."""

from django.conf import settings
from django.core import checks

SHARED_CACHES = {"django_redis.cache.RedisCache", "django.core.cache.backends.memcached.PyMemcacheCache"}


@checks.register(checks.Tags.caches, deploy=True)
def check_rate_limit_cache(app_configs, **kwargs):
    """Rate limits counted per process let each gunicorn worker accept its own quota."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in SHARED_CACHES:
        return []
    return [
        checks.Warning(
            f"Le cache {backend} n'est pas partagé entre les processus : chaque worker compte ses propres "
            "limites de débit.",
            hint="Définissez CACHE_URL (par exemple redis://127.0.0.1:6379/0) en production.",
            id="biodiversitheque.W001",
        )
    ]
