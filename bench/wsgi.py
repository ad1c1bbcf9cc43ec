"""The portal's WSGI application plus one tiny view (/bench/petite-vue/), the yardstick of the agenda bench:
the same server, middleware and database connection, but no page to route or render."""

import os

import django
from django.conf import settings
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biodiversitheque.settings.bench")
django.setup()
settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the URLconf is switched

application = get_wsgi_application()
# With gunicorn --preload this module runs once, before the workers fork: no connection may be shared by them.
connections.close_all()
