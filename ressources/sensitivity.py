"""The one rule for publishing coordinates: every public output (pages, map JSON, CSV, Darwin Core) uses it.

Observations of protected, threatened or sensitive taxa, or marked sensitive at the source, are published at
the centre of their 0.1° grid cell (about 11 km north-south, 7.5 km east-west in France), as biodiversity
atlases do; their precise coordinates stay in the admin.
"""

import math
from decimal import ROUND_FLOOR, Decimal

GRID_DEGREES = Decimal("0.1")
METRES_PER_DEGREE = 111_320


def blurred_uncertainty(latitude):
    """Distance in metres from a grid cell's centre to its corners: the uncertainty of a blurred point."""
    half = float(GRID_DEGREES) / 2 * METRES_PER_DEGREE
    return int(math.ceil(math.hypot(half, half * math.cos(math.radians(float(latitude))))))


def grid_centre(value):
    cell = (Decimal(value) / GRID_DEGREES).to_integral_value(rounding=ROUND_FLOOR)
    return cell * GRID_DEGREES + GRID_DEGREES / 2


# Flags of an observation (and of its taxon) that require blurring: any one of them is enough.
BLUR_FIELDS = ("is_protected", "is_sensitive", "taxon__is_protected", "taxon__is_threatened", "taxon__is_sensitive")


def needs_blurring(observation):
    taxon = observation.taxon
    return bool(observation.is_protected or observation.is_sensitive
                or (taxon is not None and (taxon.is_protected or taxon.is_threatened or taxon.is_sensitive)))


def public_point(latitude, longitude, precision, blurred):
    """(latitude, longitude, uncertainty in metres, blurred) as the public may see them."""
    if blurred:
        return grid_centre(latitude), grid_centre(longitude), blurred_uncertainty(latitude), True
    return Decimal(latitude), Decimal(longitude), precision, False


def public_location(observation):
    """public_point() of an observation, or None when it has no coordinates."""
    if observation.latitude is None or observation.longitude is None:
        return None
    return public_point(observation.latitude, observation.longitude, observation.precision,
                        needs_blurring(observation))
