"""Local development: the site as visitors see it (branded 404 and 500 pages, static files served by
WhiteNoise, uploads by Django); DEBUG=1 brings back Django's debug pages. A throwaway secret; e-mails
summarised in the console and written in full to var/mails/."""

import os
from urllib.parse import urlsplit

from .base import *  # noqa: F401,F403
from .base import ALLOWED_HOSTS, BASE_URL, MIDDLEWARE, VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
BIODIVERSITHEQUE_DEMO_ACCOUNTS = True
# Demonstration content and accounts (`manage.py load_demo`): never in production settings.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
ALLOWED_HOSTS = [*ALLOWED_HOSTS, urlsplit(BASE_URL).hostname]

# Static files straight from the apps' and project's folders (no collectstatic), re-read when they change.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploaded images and documents, served by Django itself (biodiversitheque/urls.py) even with DEBUG off.
SERVE_MEDIA = True

# E-mails: one line each in the console, the full message in var/mails/ (SMTP when EMAIL_HOST is set).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "biodiversitheque.core.mail_backends.SummaryFileBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mails"
