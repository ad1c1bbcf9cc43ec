"""Open datasets that each app declares (in its AppConfig.ready), so that the catalogue (DCAT) and the
"Données ouvertes" page list every export without importing the apps above core."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Distribution:
    """One downloadable form of a dataset. `path` is the site-relative URL ("/api/agenda/"): the catalogue
    makes it absolute with BASE_URL."""

    title: str
    path: str
    media_type: str
    conforms_to: str = ""


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
    published since start-up is listed)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def datasets():
    found = [dataset for provider in PROVIDERS for dataset in provider()]
    return sorted(found, key=lambda dataset: dataset.key)
