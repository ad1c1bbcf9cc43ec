"""Demo content: each app's `demo.load(log)` runs in order, all in one transaction.

Every loader is idempotent: it looks things up by slug or natural key and publishes a new
revision only when a page's content differs from the data files.
"""

import importlib

from django.db import transaction

from biodiversitheque.site_structure import ensure_site_structure

STEPS = [
    "biodiversitheque.demo.base",
    "associations.demo",
    "ressources.demo",
    "ressources.demo_observations",
    "ateliers.demo",
    "associations.demo_accounts",
]
OPTIONAL_STEPS = {"ateliers.demo"}


def load_steps():
    """The loader modules present in this installation (the agenda one is optional)."""
    modules = []
    for name in STEPS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if name in OPTIONAL_STEPS and error.name == name:
                continue
            raise
    return modules


@transaction.atomic
def load_demo(log=print):
    ensure_site_structure()
    for module in load_steps():
        module.load(log)
