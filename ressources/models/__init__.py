"""Models of the resources app, one module per family; import them from here."""

from .observations import Observation, ObservationQuerySet
from .pages import (
    RESOURCES_PER_PAGE,
    RESOURCE_MODEL_BY_TYPE,
    RESOURCE_TYPE_BY_MODEL,
    GuideDocument,
    GuidePage,
    InventoryPage,
    RelatedGuide,
    ResourceIndexPage,
    ResourcePage,
    ResourceQuerySet,
    TrainingPage,
)
from .species import SpeciesIndexPage
from .taxa import Taxon, TaxonQuerySet, TaxonResolver, TaxonStatus, refresh_flags

__all__ = [
    "RESOURCES_PER_PAGE",
    "RESOURCE_MODEL_BY_TYPE",
    "RESOURCE_TYPE_BY_MODEL",
    "GuideDocument",
    "GuidePage",
    "InventoryPage",
    "Observation",
    "ObservationQuerySet",
    "RelatedGuide",
    "ResourceIndexPage",
    "ResourcePage",
    "ResourceQuerySet",
    "SpeciesIndexPage",
    "Taxon",
    "TaxonQuerySet",
    "TaxonResolver",
    "TaxonStatus",
    "refresh_flags",
    "TrainingPage",
]
