import os

import pytest
from django.db import connection

from biodiversitheque.site_structure import ensure_site_structure


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Live-server tests flush the database when they end, wiping what migrations seeded (root page, locale,
    # themes); run them after every other test (pytest-django only sorts the tests marked django_db).
    items.sort(key=lambda item: "browser" in item.keywords)

    # PostgreSQL-only tests run in `make test`'s second pass, with DATABASE_URL set.
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if on_postgres:
        return
    skip = pytest.mark.skip(
        reason="nécessite PostgreSQL : exécuté par `make test` dans sa passe PostgreSQL (DATABASE_URL)"
    )
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def home_page(db):
    return ensure_site_structure()


@pytest.fixture
def resource_index(home_page):
    from ressources.models import ResourceIndexPage

    return ResourceIndexPage.objects.child_of(home_page).get()


@pytest.fixture
def directory_page(home_page):
    from associations.models import AssociationIndexPage

    return AssociationIndexPage.objects.get()


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"
