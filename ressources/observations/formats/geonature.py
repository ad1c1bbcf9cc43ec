"""INPN / GeoNature / SINP exports: TAXREF names and identifiers, French column names, WGS84 or Lambert 93."""

from django.utils.translation import gettext_lazy as _

from .base import first

NAME = "geonature"
LABEL = _("INPN / GeoNature")
SIGNATURE = {"cdnom", "cdref", "nomvalide", "nomcite", "nomvern", "nomvernaculaire", "datedebut", "datefin",
             "denombrementmin", "nombremin", "idsynthese", "uniqueidsinp", "group2inpn", "lbnom"}
COLUMNS = "id_synthese / uuid / unique_id_sinp, cd_nom, nom_valide ou nom_cite, nom_vern, date_debut, " \
          "latitude/longitude (WGS84) ou x/y (Lambert 93, EPSG:2154), denombrement_min, group2_inpn, sensibilite"

LATITUDE = ("latitude", "lat", "ycentroid4326", "y4326", "ywgs84", "wgs84y", "latitudewgs84")
LONGITUDE = ("longitude", "lon", "long", "xcentroid4326", "x4326", "xwgs84", "wgs84x", "longitudewgs84")
LAMBERT_X = ("x", "xl93", "x2154", "xlambert93", "xcentroid", "xcentroid2154")
LAMBERT_Y = ("y", "yl93", "y2154", "ylambert93", "ycentroid", "ycentroid2154")
NOT_SENSITIVE = {"", "0", "non", "non sensible", "aucune", "diffusion standard", "standard"}


def score(headers):
    return len(SIGNATURE & headers)


def map_row(row):
    sensitivity = first(row, "sensibilite", "niveausensibilite", "sensitivity").lower()
    return {
        "occurrence_id": first(row, "idsynthese", "uniqueidsinp", "uuid", "idsinpocctax", "idobs", "id"),
        "scientific_name": first(row, "nomvalide", "lbnom", "nomcite", "nomscientifique"),
        "authorship": "",
        "vernacular_name": first(row, "nomvern", "nomvernaculaire"),
        "cd_nom": first(row, "cdnom", "cdref"),
        "groups": [first(row, "group2inpn"), first(row, "classe"), first(row, "groupe"),
                   first(row, "group1inpn"), first(row, "regne")],
        "date": first(row, "datedebut", "dateobs", "dateobservation", "date"),
        "latitude": first(row, *LATITUDE),
        "longitude": first(row, *LONGITUDE),
        "x": first(row, *LAMBERT_X),
        "y": first(row, *LAMBERT_Y),
        "precision": first(row, "precision", "precisionm"),
        "count": first(row, "denombrementmin", "nombremin", "effectif", "denombrement"),
        "sensitive": sensitivity not in NOT_SENSITIVE,
        "absent": first(row, "statutobservation", "statutobs").lower() in {"absent", "non observé", "no"},
    }
