"""Map data of observations: points as the public may see them (sensitive ones blurred), aggregated by place."""

from django.conf import settings

from .sensitivity import BLUR_FIELDS, public_point

PLACES_IN_FALLBACK = 10


def map_places(observations, limit=None):
    """Public places of these observations with their number of observations, most observed first."""
    places = {}
    rows = observations.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "latitude", "longitude", "precision", "scientific_name", *BLUR_FIELDS
    )
    for latitude, longitude, precision, name, *flags in rows:
        lat, lon, _uncertainty, blurred = public_point(latitude, longitude, precision, any(flags))
        key = (round(float(lat), 5), round(float(lon), 5), blurred)
        place = places.setdefault(key, {"lat": key[0], "lon": key[1], "blurred": blurred, "count": 0, "names": set()})
        place["count"] += 1
        place["names"].add(name)
    result = sorted(places.values(), key=lambda place: (-place["count"], place["lat"], place["lon"]))
    for place in result:
        names = sorted(place.pop("names"))
        place["species"] = names[:5]
        place["more_species"] = max(len(names) - 5, 0)
    return result[:limit] if limit else result


def map_tiles():
    return settings.LEAFLET_CONFIG.get("TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
