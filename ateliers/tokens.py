"""The personal link of a registration: signed, unguessable, valid until the occurrence ends.

Token = "<pk>-<HMAC of pk and the registration's random access key>". Only [0-9a-f-], because
Wagtail's page URLs accept word characters and hyphens only. Emptying access_key (the purge)
kills the link.
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


def read_token(token):
    """Return the registration for a token, or raise InvalidToken('invalid' | 'expired')."""
    from .models import Registration

    pk, _sep, signature = (token or "").partition("-")
    if not pk.isdigit() or not signature:
        raise InvalidToken("invalid")
    registration = Registration.objects.select_related("occurrence__event").filter(pk=int(pk)).first()
    if (
        registration is None
        or not registration.access_key
        or not constant_time_compare(signature, _signature(registration.pk, registration.access_key))
    ):
        raise InvalidToken("invalid")
    if registration.occurrence.end < timezone.now():
        raise InvalidToken("expired")
    return registration


def manage_url(registration, request=None, absolute=False):
    from biodiversitheque.core.absolute_urls import absolute_url

    from .models import AgendaPage

    agenda = AgendaPage.objects.live().first()
    if agenda is None:
        return ""
    path = agenda.reverse_subpage("registration", args=[make_token(registration)])
    base = agenda.get_url(request)
    if absolute:
        base = absolute_url(base)
    return f"{base}{path}" if base else ""
