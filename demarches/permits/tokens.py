"""The applicant's personal link: "<pk>-<HMAC of pk and the request's random access key>" (like registrations).

The purge empties access_key, which kills the link.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

from biodiversitheque.core.absolute_urls import absolute_url

from .models import PermitRequest

SALT = "demarches.permit_request"


class InvalidToken(Exception):
    code = "invalid"


def _signature(pk, access_key):
    return salted_hmac(SALT, f"{pk}:{access_key}", algorithm="sha256").hexdigest()[:40]


def make_token(permit):
    return f"{permit.pk}-{_signature(permit.pk, permit.access_key)}"


def read_token(token):
    pk, _sep, signature = (token or "").partition("-")
    if not pk.isdigit() or not signature:
        raise InvalidToken()
    permit = PermitRequest.objects.select_related("commune", "support_type", "campaign").filter(pk=int(pk)).first()
    if (permit is None or not permit.access_key
            or not constant_time_compare(signature, _signature(permit.pk, permit.access_key))):
        raise InvalidToken()
    return permit


def follow_url(permit, absolute=False):
    campaign = permit.campaign
    base = campaign.get_url()
    if not base:
        return ""
    url = base + campaign.reverse_subpage("follow", args=[make_token(permit)])
    return absolute_url(url) if absolute else url
