"""The personal link of a registration: signed, unguessable, valid until the occurrence ends.

The signed-link scheme is core's (biodiversitheque/core/links.py). Pure functions: the registration is
looked up by the caller (`Registration.objects.from_token`).
"""

from django.utils import timezone

from biodiversitheque.core.links import InvalidToken, SignedLink

LINK = SignedLink("ateliers.registration")

__all__ = ["InvalidToken", "check_token", "make_token", "split_token"]


def make_token(registration):
    return LINK.make(registration)


def split_token(token):
    """(pk, signature) of a well-formed token, or raise InvalidToken('invalid')."""
    return LINK.split(token)


def check_token(registration, signature):
    """The registration if the signature is its own and its date has not ended, else InvalidToken."""
    LINK.check(registration, signature)
    if registration.occurrence.end < timezone.now():
        raise InvalidToken("expired")
    return registration
