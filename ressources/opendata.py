"""The resources' open datasets for the catalogue (biodiversitheque.core.opendata), and what each export covers.

The town's observations (Darwin Core Archive and CSV, SINP) and one dataset per published inventory (the same
three files and its species list). Only live inventories without view restrictions are published.
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from biodiversitheque.core.opendata import Dataset, Distribution
from biodiversitheque.core.sites import site_name

from .models import InventoryPage, Observation, SpeciesIndexPage
from .sinp import STANDARD_URL as SINP_STANDARD_URL

DWC_STANDARD_URL = "http://rs.tdwg.org/dwc/"
DWCA_STANDARD_URL = "http://rs.tdwg.org/dwc/text/"
TOWN_ARCHIVE_PATH = "/donnees/darwin-core.zip"
TOWN_SINP_PATH = "/donnees/sinp.csv"
KEYWORDS = ("biodiversité", "observations naturalistes", "Darwin Core", "SINP", "TAXREF")


def public_inventories():
    """Inventories whose observations the public may download."""
    return InventoryPage.objects.live().public()


def town_observations():
    return Observation.objects.filter(inventory__in=public_inventories())


def inventory_observations(inventory):
    return Observation.objects.filter(inventory=inventory)


def site_path(page):
    """The page's path on the site ("/ressources/mare/"), whatever host Wagtail would put before it."""
    return urlsplit(page.get_url() or "").path


def datasets():
    inventories = list(public_inventories().filter(observations__isnull=False).distinct().order_by("title"))
    if not inventories:
        return []
    found = [town_dataset(inventories)]
    found.extend(inventory_dataset(inventory) for inventory in inventories)
    return found


def town_dataset(inventories):
    species_index = SpeciesIndexPage.objects.live().public().first()
    distributions = [
        Distribution(_("Archive Darwin Core (DwC-A)"), TOWN_ARCHIVE_PATH, "application/zip", DWCA_STANDARD_URL),
        Distribution(_("Observations au format SINP (import GeoNature)"), TOWN_SINP_PATH, "text/csv",
                     SINP_STANDARD_URL),
    ]
    if species_index is not None:
        distributions.insert(1, Distribution(_("Observations en CSV Darwin Core"),
                                             site_path(species_index) + "darwin-core/", "text/csv",
                                             DWC_STANDARD_URL))
    return Dataset(
        key="ressources-observations",
        title=_("Observations naturalistes de %(site)s") % {"site": site_name()},
        description=_("Toutes les observations des inventaires naturalistes publiés (%(count)s inventaires), "
                      "espèces protégées ou sensibles floutées à la maille de 0,1°.") % {"count": len(inventories)},
        distributions=distributions,
        modified=max((inventory.last_published_at for inventory in inventories if inventory.last_published_at),
                     default=None),
        keywords=KEYWORDS,
        conforms_to=DWC_STANDARD_URL,
        landing_path=site_path(species_index) if species_index is not None else "",
    )


def inventory_dataset(inventory):
    path = site_path(inventory)
    return Dataset(
        key=f"ressources-inventaire-{inventory.slug}",
        title=_("Inventaire naturaliste : %(title)s") % {"title": inventory.title},
        description=inventory.summary or inventory.title,
        distributions=[
            Distribution(_("Archive Darwin Core (DwC-A)"), path + "darwin-core.zip", "application/zip",
                         DWCA_STANDARD_URL),
            Distribution(_("Observations en CSV Darwin Core"), path + "darwin-core/", "text/csv", DWC_STANDARD_URL),
            Distribution(_("Observations au format SINP (import GeoNature)"), path + "sinp.csv", "text/csv",
                         SINP_STANDARD_URL),
            Distribution(_("Liste des espèces (tableur)"), path + "especes-csv/", "text/csv"),
        ],
        modified=inventory.last_published_at,
        keywords=KEYWORDS,
        conforms_to=DWC_STANDARD_URL,
        landing_path=path,
    )
