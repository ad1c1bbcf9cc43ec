"""iNaturalist observations export (https://www.inaturalist.org/observations/export)."""

from django.utils.translation import gettext_lazy as _

from .base import first, is_true

NAME = "inaturalist"
LABEL = _("iNaturalist")
SIGNATURE = {"observedon", "qualitygrade", "iconictaxonname", "commonname", "positionalaccuracy",
             "coordinatesobscured", "taxongeoprivacy", "timeobservedat"}
COLUMNS = "id, observed_on, scientific_name, common_name, latitude, longitude, positional_accuracy, " \
          "iconic_taxon_name, quality_grade, coordinates_obscured / geoprivacy"


def score(headers):
    return len(SIGNATURE & headers) if "observedon" in headers or "timeobservedat" in headers else 0


def map_row(row):
    obscured = is_true(first(row, "coordinatesobscured")) or first(row, "geoprivacy", "taxongeoprivacy").lower() in {
        "obscured", "private"
    }
    return {
        "occurrence_id": first(row, "id", "uuid"),
        "scientific_name": first(row, "scientificname", "taxonspeciesname"),
        "authorship": "",
        "vernacular_name": first(row, "commonname"),
        "cd_nom": "",  # iNaturalist's taxon_id is not a TAXREF identifier
        "groups": [first(row, "iconictaxonname"), first(row, "taxonclassname"), first(row, "taxonkingdomname")],
        "date": first(row, "observedon", "timeobservedat"),
        "latitude": first(row, "latitude", "privatelatitude"),
        "longitude": first(row, "longitude", "privatelongitude"),
        "precision": first(row, "positionalaccuracy", "publicpositionalaccuracy"),
        "count": "",
        "sensitive": obscured,
        "absent": False,
    }
