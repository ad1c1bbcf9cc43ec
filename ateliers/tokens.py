"""The personal link of a registration: signed, unguessable, valid until the occurrence ends.

Token = "<pk>-<HMAC of pk and the registration's random access key>". Only [0-9a-f-], because
Wagtail's page URLs accept word characters and hyphens only. Emptying access_key (the purge)
kills the link. Pure functions: the registration is looked up by the caller (`Registration.objects.from_token`).
"""

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "ateliers.registration"


class InvalidToken(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _signature(pk, access_key):
    return salted_hmac(SALT, f"{pk}:{access_key}", algorithm="sha256").hexdigest()[:40]


def make_token(registration):
    return f"{registration.pk}-{_signature(registration.pk, registration.access_key)}"


def split_token(token):
    """(pk, signature) of a well-formed token, or raise InvalidToken('invalid')."""
    pk, _sep, signature = (token or "").partition("-")
    if not pk.isdigit() or not signature:
        raise InvalidToken("invalid")
    return int(pk), signature


def check_token(registration, signature):
    """The registration if the signature is its own and its date has not ended, else InvalidToken."""
    if (
        registration is None
        or not registration.access_key
        or not constant_time_compare(signature, _signature(registration.pk, registration.access_key))
    ):
        raise InvalidToken("invalid")
    if registration.occurrence.end < timezone.now():
        raise InvalidToken("expired")
    return registration
