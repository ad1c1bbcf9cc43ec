"""Eligible territories as typed by a librarian: one per line, optionally led by an INSEE code."""

import re

from unidecode import unidecode

CODE = re.compile(r"^\s*(\d[\dAB]\d{3}|\d{9})\b[\s,;:–-]*(.*)$")


def normalise(name):
    return re.sub(r"[^a-z0-9]+", " ", unidecode(name or "").lower()).strip()


def parse_territories(text):
    """[(code or "", name)] for each non-empty line."""
    entries = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = CODE.match(line)
        entries.append((match.group(1), match.group(2).strip()) if match else ("", line))
    return entries


def is_eligible_territory(value, entries):
    """True if `value` (a name or a code typed by the applicant) is one of `entries` (or there are none)."""
    if not entries:
        return True
    wanted = normalise(value)
    if not wanted:
        return False
    return any(wanted in (code.lower(), normalise(name)) for code, name in entries)


def cog_codes(entries):
    """Codes in the Code officiel géographique notation (COM-62119, EPCI-200072460)."""
    return [f"{'EPCI' if len(code) == 9 else 'COM'}-{code}" for code, _name in entries if code.isdigit()]
