"""Open datasets that each app declares (in its AppConfig.ready), so that the catalogue (DCAT) and the
"Données ouvertes" page list every export without importing the apps above core."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.module_loading import import_string

# Licence Ouverte / Open Licence 2.0 (Etalab), the licence data.gouv.fr recommends to public bodies.
LICENCE_OUVERTE_2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
LICENCES = [
    (LICENCE_OUVERTE_2, "Licence Ouverte / Open Licence 2.0 (Etalab)"),
    ("https://opendatacommons.org/licenses/odbl/1-0/", "Open Database License (ODbL) 1.0"),
    ("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0 (CC BY 4.0)"),
]

# Media types and the short format names data.gouv.fr shows, for the distributions apps declare.
FORMATS = {
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/geo+json": "GeoJSON",
    "application/ld+json": "JSON-LD",
    "text/calendar": "iCalendar",
    "application/zip": "ZIP",
    "application/xml": "XML",
}


@dataclass(frozen=True)
class Distribution:
    """One downloadable form of a dataset. `path` is the site-relative URL ("/api/agenda/"): the catalogue
    makes it absolute with BASE_URL."""

    title: str
    path: str
    media_type: str
    conforms_to: str = ""

    @property
    def format(self):
        """Short name of the format ("CSV", "GeoJSON"), from the media type."""
        base = self.media_type.split(";")[0].strip()
        return FORMATS.get(base) or base.rpartition("/")[2].removeprefix("vnd.").upper()


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    distributions: list[Distribution]
    modified: datetime | None = None
    keywords: tuple[str, ...] = ()
    conforms_to: str = ""
    landing_path: str = ""
    extra: dict = field(default_factory=dict)


PROVIDERS = []


def register_datasets(provider):
    """`provider()` returns the Dataset objects of one app, read when the catalogue is built (an inventory
    published since start-up is listed). `provider` may be a dotted path ("prets.opendata.datasets"),
    imported on first use: an AppConfig can then register a module that imports models."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def _resolve(provider):
    return import_string(provider) if isinstance(provider, str) else provider


def datasets():
    found = [dataset for provider in PROVIDERS for dataset in _resolve(provider)()]
    return sorted(found, key=lambda dataset: dataset.key)
