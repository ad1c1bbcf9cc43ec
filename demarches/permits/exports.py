"""Open data of the granted permits (GeoJSON and CSV, modelled on Paris's "permis de végétaliser" dataset):
support type, street, commune, year, a point rounded to about 100 m. Never a name nor a door number."""

from django.utils import timezone

from biodiversitheque.core.csvio import csv_response

from . import choices
from .models import PermitRequest

CSV_HEADER = ["reference", "commune", "type_support", "rue", "annee", "statut", "valable_jusqu_au", "latitude",
              "longitude"]


def public_permits(commune=None):
    permits = (PermitRequest.objects.filter(status__in=choices.VALID_STATUSES)
               .select_related("support_type", "commune").order_by("-decided_at", "pk"))
    return permits.filter(commune=commune) if commune is not None else permits


def _properties(permit):
    decided = timezone.localtime(permit.decided_at) if permit.decided_at else None
    return {
        "reference": permit.reference,
        "commune": permit.commune.name,
        "type_support": permit.support_type.name,
        "rue": permit.street,
        "annee": decided.year if decided else None,
        "statut": str(choices.STATUS_LABELS[permit.status]),
        "valable_jusqu_au": permit.valid_until.isoformat() if permit.valid_until else None,
    }


def geojson(permits):
    features = []
    for permit in permits:
        point = permit.public_point()
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [point[1], point[0]]} if point else None,
            "properties": _properties(permit),
        })
    return {"type": "FeatureCollection", "features": features}


def csv_export(permits):
    def rows():
        for permit in permits:
            values = _properties(permit)
            point = permit.public_point() or ("", "")
            yield [values[key] for key in CSV_HEADER[:7]] + [point[0], point[1]]

    return csv_response("permis-de-vegetaliser.csv", CSV_HEADER, rows())
