"""Map data of observations: points as the public may see them (sensitive ones blurred), aggregated by place."""

from django.conf import settings
from django.db.models import Count

from .sensitivity import BLUR_FIELDS, public_point

PLACES_IN_FALLBACK = 10


def map_places(observations, limit=None):
    """Public places of these observations with their number of observations, most observed first."""
    places = {}
    # Identical rows counted by the database: many observations share a place and a name, and Python then
    # reads one row per (place, name) instead of one per observation.
    rows = observations.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "latitude", "longitude", "precision", "scientific_name", *BLUR_FIELDS
    ).annotate(total=Count("pk")).order_by()
    for latitude, longitude, precision, name, *flags, total in rows:
        lat, lon, _uncertainty, blurred = public_point(latitude, longitude, precision, any(flags))
        key = (round(float(lat), 5), round(float(lon), 5), blurred)
        place = places.setdefault(key, {"lat": key[0], "lon": key[1], "blurred": blurred, "count": 0, "names": set()})
        place["count"] += total
        place["names"].add(name)
    result = sorted(places.values(), key=lambda place: (-place["count"], place["lat"], place["lon"]))
    for place in result:
        names = sorted(place.pop("names"))
        place["species"] = names[:5]
        place["more_species"] = max(len(names) - 5, 0)
    return result[:limit] if limit else result


def map_tiles():
    return settings.LEAFLET_CONFIG.get("TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
