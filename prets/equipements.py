"""The biodiversithèque and its lending points as records of the national facilities file, SCDL
« Équipements » 0.1.5 (https://schema.data.gouv.fr/scdl/equipements/), written through core's CSV writer.

The town's identity (name, SIRET, INSEE code, nomenclature code) and the place's address come from the site
settings; each lending point brings its own address, point and opening hours. A record missing a value the
schema requires is left out rather than written invalid: `missing_values()` says what to fill in.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from biodiversitheque.core.absolute_urls import absolute_url
from biodiversitheque.core.csvio import EXCHANGE, csv_response

from .models import LendingCatalogPage, LendingPoint

SCHEMA_URL = "https://schema.data.gouv.fr/scdl/equipements/"
SCHEMA_VERSION = "0.1.5"
# The schema's columns, in its order.
FIELDS = (
    "COLL_NOM", "COLL_SIRET", "EQUIP_UID", "EQUIP_THEME", "EQUIP_CODE", "EQUIP_TYPE", "EQUIP_NOM", "ADR_NUMERO",
    "ADR_NOMVOIE", "ADR_CODEPOSTAL", "ADR_COMMUNE", "ADR_CLE_INTEROP", "ERP_ID", "ERP_TYPE", "ERP_CATEGORIE",
    "EQUIP_LAT", "EQUIP_LONG", "EQUIP_OUVERTURE", "EQUIP_TEL", "EQUIP_EMAIL", "EQUIP_WEB",
)
REQUIRED = (
    "COLL_NOM", "COLL_SIRET", "EQUIP_UID", "EQUIP_THEME", "EQUIP_CODE", "EQUIP_TYPE", "EQUIP_NOM", "ADR_NUMERO",
    "ADR_NOMVOIE", "ADR_CODEPOSTAL", "ADR_COMMUNE", "EQUIP_LAT", "EQUIP_LONG",
)
# A library lends and welcomes the public: the nomenclature's cultural family.
THEME = "Equipement culturel"
NO_NUMBER = "99999"  # the schema's value for a street or place without a door number
FILENAME = "equipements.csv"

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
STREET = re.compile(r"^\s*(?P<number>\d+(?:\s*(?:bis|ter|qua|qui|[a-z])\b)?)\s*,?\s+(?P<street>.+)$", re.IGNORECASE)
POSTAL_LINE = re.compile(r"^\s*\d{5}\b")


@dataclass(frozen=True)
class Place:
    """What one record needs, read from the settings or a lending point."""

    order: int
    name: str
    street_line: str
    postal_code: str
    city: str
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str = ""
    web: str = ""


def split_street(line):
    """("4 bis", "Rue des Tilleuls") from "4 bis, rue des Tilleuls"; ("99999", "Place des Prés") without a number."""
    line = " ".join((line or "").replace("’", "'").replace(",", " ").split())
    match = STREET.match(line)
    number, street = (match["number"].lower(), match["street"]) if match else (NO_NUMBER, line)
    return number, street[:1].upper() + street[1:]


def street_line(address):
    """The street line of a multi-line address: the first one starting with a number, else the one before the
    postal code line, else the first."""
    lines = [line.strip() for line in (address or "").splitlines() if line.strip()]
    for line in lines:
        if line[0].isdigit() and not POSTAL_LINE.match(line):
            return line
    for index, line in enumerate(lines):
        if POSTAL_LINE.match(line) and index > 0:
            return lines[index - 1]
    return lines[0] if lines else ""


def osm_opening_hours(point):
    """Opening hours in OpenStreetMap's syntax, as the schema asks: "We 14:00-18:00; Sa 10:00-12:30,14:00-18:00"."""
    days = {}
    for slot in sorted(point.opening_hours.all(), key=lambda slot: (slot.weekday, slot.opens)):
        days.setdefault(slot.weekday, []).append(f"{slot.opens:%H:%M}-{slot.closes:%H:%M}")
    return "; ".join(f"{OSM_DAYS[day]} {','.join(spans)}" for day, spans in days.items())


def national_phone(phone):
    """"02 61 91 10 20" or "+33 2 61 91 10 20" → "0261911020" (13 characters at most in the schema). Not the
    schema's example "+33 …": every CSV we write neutralises a cell starting with "+" (a spreadsheet would
    compute it), and an apostrophe would spoil the number for machines."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("33") and len(digits) == 11:
        digits = f"0{digits[2:]}"
    return digits if len(digits) == 10 and digits.startswith("0") else ""


def _same_place(point, line, postal_code):
    return split_street(point.address) == split_street(line) and (point.postal_code or postal_code) == postal_code


def places(settings):
    """The biodiversithèque first, then the lending points elsewhere; a point at the biodiversithèque's own
    address is its lending desk: its opening hours go to the biodiversithèque's record."""
    catalogue = LendingCatalogPage.objects.live().public().first()
    lending_web = absolute_url(catalogue.url) if catalogue else absolute_url("/")
    line = street_line(settings.address)
    points = list(LendingPoint.objects.prefetch_related("opening_hours").order_by("pk"))
    desk = next((point for point in points if line and _same_place(point, line, settings.postal_code)), None)
    found = [Place(order=1, name=settings.site.site_name or _("Biodiversithèque"), street_line=line,
                   postal_code=settings.postal_code, city=settings.city or settings.town_name,
                   latitude=settings.latitude, longitude=settings.longitude,
                   opening_hours=osm_opening_hours(desk) if desk else "", web=absolute_url("/"))]
    for point in points:
        if point is desk:
            continue
        # The order number follows the point's key, so that a deleted point never renumbers the others.
        found.append(Place(order=point.pk + 1, name=point.name, street_line=point.address,
                           postal_code=point.postal_code, city=point.city or settings.city or settings.town_name,
                           latitude=point.latitude, longitude=point.longitude,
                           opening_hours=osm_opening_hours(point), web=lending_web))
    return found


def record(settings, place):
    number, street = split_street(place.street_line)
    code = f"{settings.facility_code}-{place.order:03d}" if settings.facility_code and place.order < 1000 else ""
    return {
        "COLL_NOM": (settings.publisher or "")[:140],
        "COLL_SIRET": settings.siret,
        "EQUIP_UID": f"{settings.insee_code}-{code}" if settings.insee_code and code else "",
        "EQUIP_THEME": THEME,
        "EQUIP_CODE": code,
        "EQUIP_TYPE": settings.facility_type.replace(",", " ")[:140],
        "EQUIP_NOM": place.name[:256],
        "ADR_NUMERO": number if street else "",
        "ADR_NOMVOIE": street,
        "ADR_CODEPOSTAL": place.postal_code,
        "ADR_COMMUNE": place.city,
        "ADR_CLE_INTEROP": "", "ERP_ID": "", "ERP_TYPE": "", "ERP_CATEGORIE": None,
        "EQUIP_LAT": place.latitude,
        "EQUIP_LONG": place.longitude,
        "EQUIP_OUVERTURE": place.opening_hours,
        "EQUIP_TEL": national_phone(settings.phone),
        "EQUIP_EMAIL": settings.email,
        "EQUIP_WEB": place.web,
    }


def _missing(values):
    return [name for name in REQUIRED if values[name] in ("", None)]


def records(settings):
    """The complete records, biodiversithèque first."""
    found = (record(settings, place) for place in places(settings))
    return [values for values in found if not _missing(values)]


def missing_values(settings):
    """{place name: [required columns left empty]} for the places left out of the file."""
    found = {}
    for place in places(settings):
        missing = _missing(record(settings, place))
        if missing:
            found[place.name] = missing
    return found


def csv_export(settings):
    rows = ([values[name] for name in FIELDS] for values in records(settings))
    # The exchange dialect: the schema wants a decimal point and a comma separator; text stays neutralised.
    return csv_response(FILENAME, list(FIELDS), rows, dialect=EXCHANGE)
