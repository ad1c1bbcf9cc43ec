"""The applicant's personal link: "<pk>-<HMAC of pk and the request's random access key>" (like registrations).

The purge empties access_key, which kills the link.
"""

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.links import InvalidToken, SignedLink

from .models import PermitRequest

LINK = SignedLink("demarches.permit_request")

__all__ = ["InvalidToken", "follow_url", "make_token", "read_token"]


def make_token(permit):
    return LINK.make(permit)


def read_token(token):
    return LINK.read(token, PermitRequest.objects.select_related("commune", "support_type", "campaign"))


def follow_url(permit, absolute=False):
    campaign = permit.campaign
    base = campaign.get_url()
    if not base:
        return ""
    url = base + campaign.reverse_subpage("follow", args=[make_token(permit)])
    return absolute_url(url) if absolute else url
