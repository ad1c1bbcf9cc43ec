"""Helpers shared by the format modules: header normalisation and column aliases."""

import re

from unidecode import unidecode


def normalize_header(header):
    """'decimalLatitude', 'decimal_latitude' and 'Decimal latitude' all become 'decimallatitude'."""
    return re.sub(r"[^a-z0-9]", "", unidecode(header or "").lower())


def first(row, *aliases):
    """The first non-empty value among these (normalised) column names."""
    for alias in aliases:
        value = row.get(alias)
        if value is not None and value.strip():
            return value.strip()
    return ""


def is_true(value):
    return (value or "").strip().lower() in {"true", "vrai", "oui", "yes", "1", "t"}
