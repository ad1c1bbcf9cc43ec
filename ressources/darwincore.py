"""Rows of the Darwin Core occurrence export (standard terms) and columns of an inventory's species CSV.

ressources.views writes both with biodiversitheque.core.csvio: Darwin Core as an exchange file (",", ISO dates,
decimal point), the species table for French spreadsheets.

Coordinates go through ressources.sensitivity like every public output: sensitive records are exported at
their grid cell's centre, with dataGeneralizations saying so.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biodiversitheque.core.absolute_urls import absolute_url, base_host
from biodiversitheque.core.models import SiteSettings
from biodiversitheque.core.sites import site_name

from .models import InventoryPage
from .sensitivity import GRID_DEGREES, public_location

DWC_TERMS = [
    "occurrenceID", "basisOfRecord", "occurrenceStatus", "institutionCode", "datasetName", "license",
    "rightsHolder", "references", "eventDate", "year", "scientificName", "vernacularName", "kingdom", "taxonRank",
    "taxonID", "scientificNameID", "individualCount", "decimalLatitude", "decimalLongitude", "geodeticDatum",
    "coordinateUncertaintyInMeters", "dataGeneralizations", "countryCode", "municipality", "locality",
    "recordedBy",
]
# Terms of Dublin Core used as Darwin Core record-level terms; every other one is in the dwc namespace.
DC_TERMS = {"license", "rightsHolder", "references"}
# Kingdom of each taxonomic group (lichens are classified with the fungi that form them).
GROUP_KINGDOMS = {
    "plantes": "Plantae", "champignons": "Fungi", "lichens": "Fungi", "oiseaux": "Animalia",
    "mammiferes": "Animalia", "amphibiens": "Animalia", "reptiles": "Animalia", "poissons": "Animalia",
    "insectes": "Animalia", "arachnides": "Animalia", "mollusques": "Animalia", "crustaces": "Animalia",
}
INFRASPECIFIC_RANKS = {"subsp.": "subspecies", "ssp.": "subspecies", "var.": "variety", "f.": "form"}
DEFAULT_LICENSE = "http://creativecommons.org/licenses/by/4.0/legalcode"
SPECIES_COLUMNS = [
    (gettext_lazy("Nom scientifique"), "taxon__scientific_name"),
    (gettext_lazy("Nom vernaculaire"), "taxon__vernacular_name"),
    (gettext_lazy("cd_nom (TAXREF)"), "taxon__cd_nom"), (gettext_lazy("Groupe"), "group_label"),
    (gettext_lazy("Protégée"), "taxon__is_protected"), (gettext_lazy("Menacée"), "taxon__is_threatened"),
    (gettext_lazy("Exotique envahissante"), "taxon__is_invasive"),
    (gettext_lazy("Observations"), "observation_count"), (gettext_lazy("Individus"), "individual_count"),
    (gettext_lazy("Première observation"), "first_seen"), (gettext_lazy("Dernière observation"), "last_seen"),
]


def term_uri(term):
    namespace = "http://purl.org/dc/terms/" if term in DC_TERMS else "http://rs.tdwg.org/dwc/terms/"
    return namespace + term


def taxon_rank(scientific_name):
    """Rank read from the name's shape (authorities are removed on import); "" when the name does not say."""
    words = scientific_name.split()
    if len(words) == 1 and words[0][:1].isupper():
        return "genus"
    if len(words) == 2:
        return "genus" if words[1] in ("sp.", "spp.", "sp") else "species"
    if len(words) == 4 and words[2] in INFRASPECIFIC_RANKS:
        return INFRASPECIFIC_RANKS[words[2]]
    if len(words) == 3 and words[2].islower():
        return "subspecies"
    return ""


def dataset_settings(request=None):
    site_settings = SiteSettings.for_request(request) if request is not None else None
    town = getattr(site_settings, "town_name", "") or ""
    return {
        "license": getattr(settings, "BIODIVERSITHEQUE_DATA_LICENSE", DEFAULT_LICENSE),
        "institution": getattr(settings, "BIODIVERSITHEQUE_INSTITUTION_CODE", "") or site_name(),
        "town": town,
        "host": base_host() or "biodiversitheque",
    }


def occurrence_id(observation, host):
    """A globally unique, stable identifier: the source's own when it is global, else one under our host."""
    source_id = observation.occurrence_id
    if source_id and observation.source == "inaturalist" and source_id.isdigit():
        return f"https://www.inaturalist.org/observations/{source_id}"
    if source_id and (observation.source == "darwin-core" or ":" in source_id or len(source_id) == 36):
        return source_id
    return f"urn:{host}:inventaire:{observation.inventory_id}:{source_id or observation.pk}"


def darwin_core_rows(observations, request=None):
    """Header then one list per observation, in DWC_TERMS order."""
    dataset = dataset_settings(request)
    yield DWC_TERMS
    generalisation = _("Coordonnées floutées : centre de la maille de %(size)s° (espèce protégée ou sensible).") % {
        "size": str(GRID_DEGREES).replace(".", ",")
    }
    inventories = inventory_details(observations, dataset)
    for observation in observations.select_related("taxon").order_by("inventory_id", "observed_on", "pk").iterator(
        chunk_size=2000
    ):
        inventory = inventories[observation.inventory_id]
        taxon = observation.taxon
        scientific_name = taxon.scientific_name if taxon else observation.scientific_name
        cd_nom = (taxon.cd_nom if taxon else None) or observation.cd_nom
        location = public_location(observation)
        latitude = longitude = uncertainty = ""
        generalised = ""
        if location is not None:
            latitude, longitude, uncertainty, blurred = location
            # Numbers, not text: the writer never mistakes a negative longitude for a formula.
            latitude, longitude = _degrees(latitude), _degrees(longitude)
            generalised = generalisation if blurred else ""
        yield [
            occurrence_id(observation, dataset["host"]),
            "HumanObservation",
            "present",  # absence records are not imported
            dataset["institution"],
            inventory["title"],
            dataset["license"],
            inventory["rights"],
            inventory["url"],
            observation.observed_on,
            observation.observed_on.year,
            scientific_name,
            (taxon.vernacular_name if taxon else "") or observation.vernacular_name,
            GROUP_KINGDOMS.get(taxon.group if taxon else observation.taxon_group, ""),
            taxon_rank(scientific_name),
            f"https://taxref.mnhn.fr/api/taxa/{cd_nom}" if cd_nom else "",
            f"urn:lsid:taxref.mnhn.fr:taxa:{cd_nom}" if cd_nom else "",
            observation.count,
            latitude,
            longitude,
            "EPSG:4326" if latitude != "" else "",
            uncertainty if uncertainty is not None else "",
            generalised,
            "FR",
            dataset["town"],
            inventory["place"],
            inventory["observers"],
        ]


def inventory_details(observations, dataset):
    """What every row repeats about its inventory, read in one query for all the inventories exported."""
    details = {}
    pages = InventoryPage.objects.filter(pk__in=observations.order_by().values("inventory_id")).select_related(
        "association"
    )
    for inventory in pages:
        details[inventory.pk] = {
            "page": inventory,
            "title": inventory.title,
            "rights": inventory.association.name if inventory.association_id else dataset["institution"],
            "url": absolute_url(inventory.url),
            "place": inventory.place,
            # Observers as published on the inventory page, never personal data from the import files.
            "observers": observers(inventory),
        }
    return details


def observers(inventory, separator=" | "):
    return separator.join(line.strip() for line in inventory.observers.splitlines() if line.strip())


def _degrees(value):
    """Six decimals at most, trailing zeros dropped: 47.390000 -> 47.39."""
    return Decimal(f"{value:.6f}").normalize()
