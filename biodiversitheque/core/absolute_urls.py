"""The one rule for absolute URLs: everything the portal writes (e-mails, .ics, feeds, JSON-LD, exports)
starts with settings.BASE_URL, whatever host the request or the Wagtail Site names."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """settings.BASE_URL followed by `path` ("/agenda/…", or a full URL whose origin is replaced); "" if empty."""
    if not path:
        return ""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        path = parts._replace(scheme="", netloc="").geturl()
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{base_url()}{path}"


def base_url():
    return settings.BASE_URL.rstrip("/")


def base_host():
    """Host (and port) of BASE_URL, e.g. "127.0.0.1:8000"."""
    return urlsplit(base_url()).netloc
