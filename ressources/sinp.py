"""Rows of the SINP export ("Occurrences de taxons" v2), named as GeoNature's import expects them.

The column names are the source columns of the field mapping « Synthèse GeoNature » that GeoNature's import
module installs (a GeoNature synthesis export read back): choosing that mapping at step 3 of an import maps
every column without typing. Nomenclature cells hold the SINP codes (Pr, Co, IND, Te, In, 0–4…), which the
value mapping step recognises. docs/inventaires.md lists each column with its SINP field.

Coordinates go through ressources.sensitivity like every public output: a blurred record is the centre of its
0.1° cell (about a 10 km grid square), its precision the cell's half-diagonal, its sensitivity level 2
(« diffusion à la maille 10 km ») and its diffusion level 2 (« maille »).
"""

import uuid

from django.conf import settings
from django.core import checks

from .darwincore import _degrees, dataset_settings, inventory_details, observers
from .sensitivity import public_location

SINP_COLUMNS = [
    "uuid_perm_sinp", "uuid_perm_grp_sinp", "id_synthese", "jdd_uuid", "jdd_nom", "organisme_gestionnaire_donnees",
    "cd_nom", "cd_ref", "version_taxref", "nom_cite", "nom_vernaculaire", "date_debut", "date_fin",
    "observateurs", "determinateur", "nombre_min", "nombre_max", "type_denombrement", "objet_denombrement",
    "statut_observation", "statut_source", "geometrie_wkt_4326", "x_centroid_4326", "y_centroid_4326",
    "precision_geographique", "nature_objet_geo", "nom_lieu", "niveau_sensibilite", "niveau_precision_diffusion",
    "floutage_dee", "comment_releve",
]
SENSITIVITY_NONE, SENSITIVITY_GRID_10KM = "0", "2"
DIFFUSION_PRECISE, DIFFUSION_GRID = "5", "2"
STANDARD_URL = "https://standards-sinp.mnhn.fr/occurrences-de-taxons-v2-1/"


@checks.register()
def check_dataset_uuid(app_configs=None, **kwargs):
    """A mistyped SINP_DATASET_UUID is reported at start-up, not found in GeoNature's import errors."""
    value = getattr(settings, "SINP_DATASET_UUID", "") or ""
    try:
        if value:
            uuid.UUID(value)
    except ValueError:
        return [checks.Error(f"SINP_DATASET_UUID n'est pas un UUID valide : « {value} ».",
                             hint="Copiez l'identifiant du jeu de données tel que la plateforme SINP le donne.",
                             id="ressources.E001")]
    return []


def sinp_settings():
    """Dataset UUID and organisation from settings (SINP_DATASET_UUID, SINP_ORGANISM), see the docs."""
    dataset = dataset_settings()
    return {
        "dataset_uuid": getattr(settings, "SINP_DATASET_UUID", "") or "",
        "organism": getattr(settings, "SINP_ORGANISM", "") or dataset["institution"],
        "institution": dataset["institution"],
    }


def sinp_rows(observations):
    """Header then one list per observation, in SINP_COLUMNS order."""
    options = sinp_settings()
    yield SINP_COLUMNS
    inventories = inventory_details(observations, options)
    for observation in observations.select_related("taxon").order_by("inventory_id", "observed_on", "pk").iterator(
        chunk_size=2000
    ):
        inventory = inventories[observation.inventory_id]
        taxon = observation.taxon
        location = public_location(observation)
        wkt = longitude = latitude = precision = ""
        blurred = False
        if location is not None:
            latitude, longitude, precision, blurred = location
            latitude, longitude = _degrees(latitude), _degrees(longitude)
            wkt = f"POINT({longitude} {latitude})"
        yield [
            str(observation.sinp_id),
            "",  # no survey grouping (relevé) is kept
            observation.pk,
            options["dataset_uuid"],
            inventory["title"],
            options["organism"],
            (taxon.cd_nom if taxon else None) or observation.cd_nom,
            taxon.cd_ref if taxon else None,
            taxon.taxref_version if taxon else "",
            observation.scientific_name or (taxon.scientific_name if taxon else ""),
            (taxon.vernacular_name if taxon else "") or observation.vernacular_name,
            observation.observed_on,
            observation.observed_on,
            observers(inventory["page"], separator=", "),
            "",  # the determiner is not recorded
            observation.count,
            observation.count,
            "Co",  # compté
            "IND",  # individus
            "Pr",  # présent: absence records are not imported
            "Te",  # terrain
            wkt,
            longitude,
            latitude,
            precision if precision is not None else "",
            "In" if wkt else "",  # inventoriel
            inventory["place"],
            SENSITIVITY_GRID_10KM if blurred else SENSITIVITY_NONE,
            DIFFUSION_GRID if blurred else DIFFUSION_PRECISE,
            "OUI" if blurred else "NON",
            inventory["url"],
        ]
