"""The borrower's personal link: "<pk>-<HMAC of pk and the borrower's access key>", as the agenda's.

Changing or emptying access_key (a new link asked for, the purge) kills the old links.
"""

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.links import InvalidToken, SignedLink

from .models import Borrower, LendingCatalogPage

LINK = SignedLink("prets.borrower")

__all__ = ["InvalidToken", "make_token", "read_token", "space_url"]


def make_token(borrower):
    return LINK.make(borrower)


def read_token(token):
    return LINK.read(token, Borrower.objects.all())


def space_url(borrower, request=None, absolute=False):
    catalogue = LendingCatalogPage.objects.live().first()
    base = catalogue.get_url(request) if catalogue else None
    if not base:  # no published catalogue inside a site
        return ""
    path = base + catalogue.reverse_subpage("space", args=[make_token(borrower)])
    return absolute_url(path) if absolute else path
