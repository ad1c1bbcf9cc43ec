"""Signed personal links to an application: "<access pk>-<HMAC of pk and the access's random key>".

Only [0-9a-f-] (Wagtail's routes accept word characters and hyphens). A link expires at
`ApplicantAccess.expires_at`; emptying `access_key` (the purge) kills it.
"""

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from biodiversitheque.core.absolute_urls import absolute_url

from .models import ApplicantAccess

SALT = "demarches.calls.application"


class InvalidToken(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code  # "invalid" | "expired"


def _signature(pk, access_key):
    return salted_hmac(SALT, f"{pk}:{access_key}", algorithm="sha256").hexdigest()[:40]


def make_token(access):
    return f"{access.pk}-{_signature(access.pk, access.access_key)}"


def read_token(token, call=None):
    """The ApplicantAccess of a token (for `call` if given), or raise InvalidToken."""
    pk, _sep, signature = (token or "").partition("-")
    if not pk.isdigit() or not signature:
        raise InvalidToken("invalid")
    access = ApplicantAccess.objects.select_related("application__call").filter(pk=int(pk)).first()
    if (
        access is None
        or not access.access_key
        or not constant_time_compare(signature, _signature(access.pk, access.access_key))
        or (call is not None and access.application.call_id != call.pk)
    ):
        raise InvalidToken("invalid")
    if access.expires_at < timezone.now():
        raise InvalidToken("expired")
    return access


def application_url(access, absolute=True):
    call = access.application.call
    path = call.url + call.reverse_subpage("application", args=[make_token(access)])
    return absolute_url(path) if absolute else path
