"""Turn a mapped row (raw strings) into clean observation values, or French errors for its line."""

import datetime
import hashlib
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ressources.taxonomy import normalize_group

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y"]
RANK_MARKERS = {"subsp.", "ssp.", "var.", "f.", "kl.", "x", "×", "agg.", "s.l.", "s.s."}
# Lambert 93 (EPSG:2154) coordinates of metropolitan France, roughly.
LAMBERT_X_RANGE = (0, 1_300_000)
LAMBERT_Y_RANGE = (6_000_000, 7_200_000)
MAX_YEAR_AHEAD = datetime.timedelta(days=1)


def parse_date(value):
    """The first day of a date, datetime or ISO interval ('2024-05-01/2024-05-03'), else None."""
    value = value.strip()
    if len(value) == 10 and value[4] == value[7] == "-":
        # The usual case, AAAA-MM-JJ: read in C, ten times faster than strptime.
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    value = value.split("/")[0] if re.match(r"^\d{4}-", value) else value
    candidate = re.split(r"[T ]", value, maxsplit=1)[0]
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(candidate, date_format).date()
        except ValueError:
            continue
    return None


def parse_decimal(value):
    try:
        number = Decimal(value.strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


def canonical_name(name, authorship=""):
    """The scientific name without its authority: 'Bufo spinosus Daudin, 1803' → 'Bufo spinosus'."""
    name = " ".join(name.split())
    if authorship and name.endswith(authorship.strip()):
        name = name[: -len(authorship.strip())].strip()
    words = name.split(" ")
    kept = words[:1]
    for word in words[1:]:
        if word.lower() in RANK_MARKERS or (word[:1].islower() and word[:1].isalpha()):
            kept.append(word)
        else:
            break
    return " ".join(kept)


@lru_cache(maxsize=1)
def lambert93_to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def fingerprint(values):
    """A stable identifier for rows without one: same taxon, date, place and count → same id."""
    key = "|".join(str(values.get(field) or "") for field in
                   ("scientific_name", "cd_nom", "observed_on", "latitude", "longitude", "count"))
    return "empreinte:" + hashlib.sha1(key.encode()).hexdigest()[:20]


def validate_row(raw, today=None):
    """(values, errors): values ready for an Observation, or the list of French error messages."""
    today = today or datetime.date.today()
    errors = []
    name = canonical_name(raw.get("scientific_name") or "", raw.get("authorship") or "")
    if not name:
        errors.append("nom du taxon manquant")
    observed_on = parse_date(raw.get("date") or "")
    if not raw.get("date"):
        errors.append("date manquante")
    elif observed_on is None:
        errors.append(f"date invalide « {raw['date']} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    elif observed_on > today + MAX_YEAR_AHEAD or observed_on.year < 1800:
        errors.append(f"date impossible « {raw['date']} »")
    latitude, longitude = coordinates(raw, errors)
    cd_nom = None
    if raw.get("cd_nom"):
        cd_nom = int(raw["cd_nom"]) if raw["cd_nom"].isdigit() else None
        if cd_nom is None:
            errors.append(f"cd_nom invalide « {raw['cd_nom']} » (nombre entier attendu)")
    count = 1
    if raw.get("count"):
        number = parse_decimal(raw["count"])
        if number is None or number < 0 or number != number.to_integral_value():
            errors.append(f"effectif invalide « {raw['count']} » (nombre entier positif attendu)")
        else:
            count = int(number) or 1
    precision = parse_decimal(raw.get("precision") or "")
    if errors:
        return None, errors
    values = {
        "scientific_name": name[:200],
        "vernacular_name": (raw.get("vernacular_name") or "").split(",")[0].strip()[:200],
        "cd_nom": cd_nom,
        "group": normalize_group(*raw.get("groups", [])),
        "observed_on": observed_on,
        "latitude": latitude,
        "longitude": longitude,
        "precision": int(precision) if precision is not None and 0 <= precision < 10**9 else None,
        "count": count,
        "is_sensitive": bool(raw.get("sensitive")),
    }
    values["occurrence_id"] = (raw.get("occurrence_id") or "")[:255] or fingerprint(values)
    return values, []


def coordinates(raw, errors):
    """(latitude, longitude) in WGS84 with 6 decimals, converting Lambert 93 x/y; (None, None) if absent."""
    lat_text, lon_text = raw.get("latitude") or "", raw.get("longitude") or ""
    if not lat_text and not lon_text and (raw.get("x") or raw.get("y")):
        x, y = parse_decimal(raw.get("x") or ""), parse_decimal(raw.get("y") or "")
        if x is None or y is None:
            errors.append(f"coordonnées x/y invalides « {raw.get('x')} » / « {raw.get('y')} »")
            return None, None
        if abs(x) <= 180 and abs(y) <= 90:  # already in degrees
            lat, lon = y, x
        elif LAMBERT_X_RANGE[0] <= x <= LAMBERT_X_RANGE[1] and LAMBERT_Y_RANGE[0] <= y <= LAMBERT_Y_RANGE[1]:
            lon_float, lat_float = lambert93_to_wgs84().transform(float(x), float(y))
            lat, lon = Decimal(str(lat_float)), Decimal(str(lon_float))
        else:
            errors.append(f"coordonnées x/y hors de France métropolitaine en Lambert 93 « {x} » / « {y} »")
            return None, None
    elif not lat_text and not lon_text:
        return None, None
    else:
        lat, lon = parse_decimal(lat_text), parse_decimal(lon_text)
        if lat is None or lon is None:
            errors.append(f"coordonnées invalides « {lat_text} » / « {lon_text} »")
            return None, None
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        errors.append(f"coordonnées hors limites (latitude {lat}, longitude {lon})")
        return None, None
    quantum = Decimal("0.000001")
    return lat.quantize(quantum), lon.quantize(quantum)
