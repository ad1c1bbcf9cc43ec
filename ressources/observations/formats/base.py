"""Helpers shared by the format modules: column aliases (headers are normalised by biodiversitheque.core.csvio)."""


def first(row, *aliases):
    """The first non-empty value among these (normalised) column names."""
    for alias in aliases:
        value = row.get(alias)
        if value is not None and value.strip():
            return value.strip()
    return ""


def is_true(value):
    return (value or "").strip().lower() in {"true", "vrai", "oui", "yes", "1", "t"}
