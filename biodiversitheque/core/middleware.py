"""Middleware of the whole site."""

from django.db import OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string


def is_database_busy(exception):
    """SQLite's answer when another connection kept the write lock longer than the busy timeout."""
    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


class DatabaseBusyMiddleware:
    """A French 503 "réessayez dans un instant" instead of a 500 when the database is locked.

    The view's transaction has been rolled back, so nothing was half-written; the page needs no database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
