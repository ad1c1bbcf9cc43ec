"""Signed personal links to an application: "<access pk>-<HMAC of pk and the access's random key>".

Only [0-9a-f-] (Wagtail's routes accept word characters and hyphens). A link expires at
`ApplicantAccess.expires_at`; emptying `access_key` (the purge) kills it.
"""

from django.utils import timezone

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.links import InvalidToken, SignedLink

from .models import ApplicantAccess

LINK = SignedLink("demarches.calls.application")

__all__ = ["InvalidToken", "application_url", "make_token", "read_token"]


def make_token(access):
    return LINK.make(access)


def read_token(token, call=None):
    """The ApplicantAccess of a token (for `call` if given), or raise InvalidToken."""
    access = LINK.read(token, ApplicantAccess.objects.select_related("application__call"))
    if call is not None and access.application.call_id != call.pk:
        raise InvalidToken("invalid")
    if access.expires_at < timezone.now():
        raise InvalidToken("expired")
    return access


def application_url(access, absolute=True):
    call = access.application.call
    path = call.url + call.reverse_subpage("application", args=[make_token(access)])
    return absolute_url(path) if absolute else path
