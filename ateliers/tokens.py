"""The personal link of a registration: signed, unguessable, valid until the occurrence ends."""

from django.core import signing
from django.utils import timezone

SALT = "ateliers.registration"


class InvalidToken(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def make_token(registration):
    return signing.dumps([registration.pk, registration.access_key], salt=SALT, compress=False)


def read_token(token, queryset=None):
    """Return the registration for a token, or raise InvalidToken('invalid' | 'expired')."""
    from .models import Registration

    try:
        pk, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidToken("invalid") from None
    queryset = queryset if queryset is not None else Registration.objects.select_related("occurrence__event")
    registration = queryset.filter(pk=pk).first()
    if registration is None or not key or registration.access_key != key:
        raise InvalidToken("invalid")
    if registration.occurrence.end < timezone.now():
        raise InvalidToken("expired")
    return registration


def manage_url(registration, request=None, absolute=False):
    from .models import AgendaPage

    agenda = AgendaPage.objects.live().first()
    if agenda is None:
        return ""
    path = agenda.reverse_subpage("registration", args=[make_token(registration)])
    base = agenda.get_full_url(request) if absolute else agenda.get_url(request)
    return f"{base}{path}"
