"""Demo content, for development and tests only (absent from production settings): each module's
`load(log)` runs in order, all in one transaction.

Every loader is idempotent: it looks things up by slug or natural key and publishes a new
revision only when a page's content differs from the data files.
"""

from django.db import transaction

from biodiversitheque.portal.site_structure import ensure_site_structure

from . import (
    accounts, associations, ateliers, base, calls, observations, opendata, permits, prets, ressources, species,
)

STEPS = [base, associations, ressources, observations, species, ateliers, prets, accounts, calls, permits, opendata]


@transaction.atomic
def load_demo(log=print):
    ensure_site_structure()
    for module in STEPS:
        module.load(log)
