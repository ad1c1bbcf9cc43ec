"""Benchmarks: production-like (DEBUG off, real templates), throwaway secret, database from DATABASE_URL."""

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "bench-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BIODIVERSITHEQUE_DEMO_ACCOUNTS = False
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405 - the pages bench loads the demo
