"""Personal links of residents (registrations, loans, permits, applications): "<pk>-<HMAC of pk and the
record's random access key>", one salt per kind of record.

Only [0-9a-f-], because Wagtail's routes accept word characters and hyphens only. Emptying or changing the
access key (a new link, the purge) kills the old links.
"""

from django.utils.crypto import constant_time_compare, salted_hmac


class InvalidToken(Exception):
    def __init__(self, code="invalid"):
        super().__init__(code)
        self.code = code  # "invalid" | "expired"


class SignedLink:
    def __init__(self, salt):
        self.salt = salt

    def signature(self, pk, access_key):
        return salted_hmac(self.salt, f"{pk}:{access_key}", algorithm="sha256").hexdigest()[:40]

    def make(self, record):
        return f"{record.pk}-{self.signature(record.pk, record.access_key)}"

    def split(self, token):
        """(pk, signature) of a well-formed token, or raise InvalidToken."""
        pk, _sep, signature = (token or "").partition("-")
        if not pk.isdigit() or not signature:
            raise InvalidToken()
        return int(pk), signature

    def check(self, record, signature):
        """`record` if the signature is its own, else InvalidToken."""
        if (record is None or not record.access_key
                or not constant_time_compare(signature, self.signature(record.pk, record.access_key))):
            raise InvalidToken()
        return record

    def read(self, token, queryset):
        """The record of `queryset` that the token names, or raise InvalidToken."""
        pk, signature = self.split(token)
        return self.check(queryset.filter(pk=pk).first(), signature)
