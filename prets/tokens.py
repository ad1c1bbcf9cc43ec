"""The borrower's personal link: "<pk>-<HMAC of pk and the borrower's access key>", as the agenda's.

Changing or emptying access_key (a new link asked for, the purge) kills the old links.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

from biodiversitheque.core.absolute_urls import absolute_url

from .models import Borrower, LendingCatalogPage

SALT = "prets.borrower"


class InvalidToken(Exception):
    def __init__(self, code="invalid"):
        super().__init__(code)
        self.code = code


def _signature(pk, access_key):
    return salted_hmac(SALT, f"{pk}:{access_key}", algorithm="sha256").hexdigest()[:40]


def make_token(borrower):
    return f"{borrower.pk}-{_signature(borrower.pk, borrower.access_key)}"


def read_token(token):
    pk, _sep, signature = (token or "").partition("-")
    if not pk.isdigit() or not signature:
        raise InvalidToken()
    borrower = Borrower.objects.filter(pk=int(pk)).first()
    if (borrower is None or not borrower.access_key
            or not constant_time_compare(signature, _signature(borrower.pk, borrower.access_key))):
        raise InvalidToken()
    return borrower


def space_url(borrower, request=None, absolute=False):
    catalogue = LendingCatalogPage.objects.live().first()
    base = catalogue.get_url(request) if catalogue else None
    if not base:  # no published catalogue inside a site
        return ""
    path = base + catalogue.reverse_subpage("space", args=[make_token(borrower)])
    return absolute_url(path) if absolute else path
