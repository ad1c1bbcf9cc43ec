"""Optional geocoding of an address through a configurable service (settings.PERMIT_GEOCODER_URL, answering
like the BAN's api-adresse.data.gouv.fr/search/: GeoJSON features). Never required: any failure gives None."""

import json
import logging
from decimal import Decimal
from urllib.parse import urlencode
from urllib.request import urlopen

from . import choices

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 3


def geocode(address):
    """(latitude, longitude) as Decimals for an address, or None (no service, no answer, nothing found)."""
    url = choices.geocoder_url()
    if not url or not address.strip():
        return None
    try:
        with urlopen(f"{url}?{urlencode({'q': address, 'limit': 1})}", timeout=TIMEOUT_SECONDS) as response:
            data = json.loads(response.read(200_000).decode("utf-8"))
        longitude, latitude = data["features"][0]["geometry"]["coordinates"][:2]
        return Decimal(str(latitude)).quantize(Decimal("0.000001")), Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except Exception as error:  # noqa: BLE001 — the address alone is enough to instruct
        logger.info("Géocodage impossible pour une demande de permis : %s", error)
        return None
