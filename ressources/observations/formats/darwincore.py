"""Darwin Core occurrence CSV (GBIF downloads, IPT exports, SINP DwC exports)."""

import re

from django.utils.translation import gettext_lazy as _

from .base import first

NAME = "darwin-core"
LABEL = _("Darwin Core")
# Terms that only a Darwin Core file has; two of them identify the format.
SIGNATURE = {"occurrenceid", "eventdate", "decimallatitude", "decimallongitude", "basisofrecord", "individualcount",
             "taxonid", "vernacularname", "occurrencestatus"}
COLUMNS = "occurrenceID, scientificName, vernacularName, taxonID, eventDate (ou year/month/day), " \
          "decimalLatitude, decimalLongitude, coordinateUncertaintyInMeters, individualCount, class/kingdom, " \
          "occurrenceStatus, informationWithheld/dataGeneralizations"

TAXREF_ID = re.compile(r"(?:taxref|inpn|mnhn)\D*(\d+)\s*$", re.IGNORECASE)


def score(headers):
    return len(SIGNATURE & headers) if "scientificname" in headers else 0


def taxref_cd_nom(row):
    """cd_nom from taxonID / scientificNameID when they are TAXREF identifiers (not GBIF keys)."""
    explicit = first(row, "cdnom", "taxrefid")
    if explicit:
        return explicit
    for value in (first(row, "taxonid"), first(row, "scientificnameid")):
        match = TAXREF_ID.search(value)
        if match:
            return match.group(1)
    return ""


def event_date(row):
    date = first(row, "eventdate")
    if date:
        return date
    year, month, day = first(row, "year"), first(row, "month"), first(row, "day")
    if year and month and day:
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"
    return ""


def map_row(row):
    return {
        "occurrence_id": first(row, "occurrenceid", "catalognumber"),
        "scientific_name": first(row, "scientificname", "acceptedscientificname"),
        "authorship": first(row, "scientificnameauthorship"),
        "vernacular_name": first(row, "vernacularname"),
        "cd_nom": taxref_cd_nom(row),
        "groups": [first(row, "class"), first(row, "order"), first(row, "phylum"), first(row, "kingdom")],
        "date": event_date(row),
        "latitude": first(row, "decimallatitude"),
        "longitude": first(row, "decimallongitude"),
        "precision": first(row, "coordinateuncertaintyinmeters"),
        "count": first(row, "individualcount", "organismquantity"),
        "sensitive": bool(first(row, "informationwithheld", "datageneralizations")),
        "absent": first(row, "occurrencestatus").lower() == "absent",
    }
