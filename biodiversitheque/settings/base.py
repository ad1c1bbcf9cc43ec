"""Settings shared by every environment; values that differ come from the environment."""

import contextlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url


PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
# Everything the portal writes (SQLite file, uploads) lives here; git ignores it.
VAR_DIR = Path(os.environ.get("BIODIVERSITHEQUE_VAR_DIR", BASE_DIR / "var"))
with contextlib.suppress(OSError):  # a fresh clone (or a new BIODIVERSITHEQUE_VAR_DIR) has no var/ yet
    VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The project's apps, bottom layer first: each imports only those above it in this list.
INSTALLED_APPS = [
    "biodiversitheque.core",
    "biodiversitheque.search",
    "associations",
    "ressources",
    "ateliers",
    "demarches",
    "prets",
    "biodiversitheque.portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "recurrence",
    "leaflet",
    "csp",
    "axes",
    "django_ratelimit",
    # Database task queue (TASKS_BACKEND=django_tasks_db.DatabaseBackend + `manage.py db_worker`).
    "django_tasks_db",
    # wagtail-modeladmin uses Django admin's template tags; SimpleAdminConfig skips admin autodiscovery,
    # which would import django-leaflet's admin and so GeoDjango (GDAL).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "biodiversitheque.core.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "biodiversitheque.portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "biodiversitheque.core.context_processors.site_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "biodiversitheque.wsgi.application"

# SQLite file by default; DATABASE_URL (postgres://…) for towns that outgrow one machine.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue behind the lock instead of failing with "database is locked"; long jobs (imports) write
    # in short batches, so 10 s is plenty, and past it the visitor gets the French 503 page, not a wait.
    # IMMEDIATE takes the write lock at BEGIN so read-then-write transactions cannot deadlock; WAL lets
    # readers read while one connection writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 10,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Biodiversithèque <ne-pas-repondre@biodiversitheque.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Biodiversithèque")
# Every absolute URL the portal writes starts with BASE_URL (see biodiversitheque/absolute_urls.py);
# `make run` sets it from PORT.
BASE_URL = os.environ.get("BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
# SINP export (ressources/sinp.py): UUID of the dataset (jdd_uuid) given by the SINP metadata platform, and the
# organisation that manages the data (default: the site's name). See docs/inventaires.md.
SINP_DATASET_UUID = os.environ.get("SINP_DATASET_UUID", "")
SINP_ORGANISM = os.environ.get("SINP_ORGANISM", "")
# ASCII page addresses (« gîte » → « gite »): accented slugs are percent-encoded in every shared link.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# A renamed or moved page keeps answering at its old address (301 to the new one).
WAGTAILREDIRECTS_AUTO_CREATE = True
# Moderation e-mails (submitted / approved / changes requested) from Wagtail's workflow.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024



# Wagtail's own search (used by the admin). The public site search is our own index.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
# Elasticsearch / OpenSearch for the public search, when set (e.g. http://localhost:9200).
SEARCH_URL = os.environ.get("SEARCH_URL", "")
# Name of the alias searched; each rebuild creates `<name>-<time>` and moves the alias onto it.
SEARCH_INDEX = os.environ.get("SEARCH_INDEX", "biodiversitheque-recherche")

# OpenAgenda, where `manage.py push_openagenda` sends the agenda (see docs/agenda-interface.md).
OPENAGENDA_BASE_URL = os.environ.get("OPENAGENDA_BASE_URL", "https://api.openagenda.com/v2").rstrip("/")
OPENAGENDA_AGENDA_UID = os.environ.get("OPENAGENDA_AGENDA_UID", "")
OPENAGENDA_SECRET_KEY = os.environ.get("OPENAGENDA_SECRET_KEY", os.environ.get("OPENAGENDA_API_KEY", ""))

# How long participants' personal data is kept after their occurrence (days).
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "90"))

# E-mails of the agenda go through this queue. Immediate (sent right after the commit, in the request)
# unless TASKS_BACKEND=django_tasks_db.DatabaseBackend: then a `manage.py db_worker` process sends them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# Maps: django-leaflet's template tags and static Leaflet; tiles from OpenStreetMap by default.
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (47.39, 0.69),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "ATTRIBUTION_PREFIX": "",
    "RESET_VIEW": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

WAGTAIL_ENABLE_UPDATE_CHECK = False

# Content-Security-Policy on the public site: no inline script or style anywhere.
# The Wagtail admin (and its previews) keeps Wagtail's own needs, so it is excluded.
MAP_TILES_HOST = os.environ.get("MAP_TILES_HOST", "https://tile.openstreetmap.org")
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", MAP_TILES_HOST],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Admin login: 5 failures lock the (user name, address) pair out for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Rate limits on public endpoints (django-ratelimit); answered by a French 429 page.
RATELIMIT_VIEW = "biodiversitheque.core.views.rate_limited"
# django-ratelimit refuses a per-process cache outright, which would stop every command in development;
# the deploy check biodiversitheque.W001 warns instead where it matters (production without CACHE_URL).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Per client address; e.g. RATELIMIT_REGISTRATION=5/m. Behind a reverse proxy, set RATELIMIT_IP_META_KEY
# (e.g. HTTP_X_REAL_IP) so that the limit counts visitors, not the proxy.
RATELIMIT_RATES = {
    name: os.environ.get(f"RATELIMIT_{name.upper()}", default)
    for name, default in {
        "registration": "10/m",
        "cancellation": "10/m",
        "search_api": "60/m",
        "suggestions_api": "120/m",
        "agenda_api": "60/m",
    }.items()
}
if os.environ.get("RATELIMIT_IP_META_KEY"):
    RATELIMIT_IP_META_KEY = os.environ["RATELIMIT_IP_META_KEY"]

