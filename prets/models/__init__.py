from .catalogue import LendingCatalogPage, ThingGuide, ThingPage, Unit
from .lending import Borrower, Hold, Loan
from .points import LendingPoint, OpeningHours
from .seeds import GerminationTest, SeedLibraryPage, SeedMovement, SeedSwapEvent, SeedVarietyPage

__all__ = [
    "Borrower", "GerminationTest", "Hold", "LendingCatalogPage", "LendingPoint", "Loan", "OpeningHours",
    "SeedLibraryPage", "SeedMovement", "SeedSwapEvent", "SeedVarietyPage", "ThingGuide", "ThingPage", "Unit",
]
