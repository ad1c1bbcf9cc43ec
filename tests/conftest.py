import os

import pytest
from django.db import connection

from biodiversitheque.portal.site_structure import ensure_site_structure
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Transactional and live-server tests flush the database when they end, wiping what migrations seeded
    # (root page, locale, themes); run them after every other test (pytest-django only sorts the tests
    # marked django_db), the browser tests last since they put Wagtail's own rows back before each test.
    def rank(item):
        if "browser" in item.keywords:
            return 2
        return 1 if "transactional_db" in getattr(item, "fixturenames", ()) else 0

    items.sort(key=rank)

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


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached values (page shell, site settings, search figures) must not outlive the test that built them.
    from django.core.cache import cache

    cache.clear()
    yield


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


@pytest.fixture
def small_site(home_page, resource_index, directory_page):
    """One of each public page type, built with factories (much faster than load_demo): a guide, an inventory
    with observed species, an association organising a walk with one dated occurrence. Returns their pages."""
    import datetime
    from pathlib import Path
    from types import SimpleNamespace

    from django.utils import timezone

    from ateliers.models import AgendaPage
    from ateliers.services import sync_occurrences
    from ressources.models import SpeciesIndexPage, Taxon
    from ressources.observations import import_observations
    from tests.factories import (
        AssociationFactory, EventPageFactory, GuidePageFactory, InventoryPageFactory, ThemeFactory,
    )

    theme = ThemeFactory(name="Mares et zones humides", slug="mares-et-zones-humides")
    guide = GuidePageFactory(
        parent=resource_index, title="Créer une mare naturelle", slug="creer-une-mare",
        summary="Creuser une petite mare au jardin pour accueillir tritons et libellules.", themes=[theme],
    )
    inventory = InventoryPageFactory(parent=resource_index, title="Mare des Tilleuls", slug="mare-des-tilleuls")
    samples = Path(__file__).resolve().parents[1] / "demo" / "data" / "ressources" / "observations"
    import_observations(inventory, (samples / "darwin-core.csv").read_bytes())
    association = AssociationFactory(name="Les Amis des Mares", slug="les-amis-des-mares", themes=[theme])
    agenda = AgendaPage(title="Agenda", slug="agenda", show_in_menus=True)
    home_page.add_child(instance=agenda)
    agenda.save_revision().publish()
    event = EventPageFactory(
        parent=agenda, title="Balade des mares", slug="balade-des-mares", kind="balade", capacity=2,
        organiser=association, first_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    event.themes.set([theme])
    event.save_revision().publish()
    sync_occurrences(event)
    species_index = SpeciesIndexPage.objects.get()
    taxon = Taxon.objects.observed().order_by("pk").first()
    return SimpleNamespace(
        home=home_page, resources=resource_index, directory=directory_page, guide=guide, inventory=inventory,
        association=association, agenda=agenda, event=event, occurrence=event.occurrences.get(), theme=theme,
        species_index=species_index, species_url=species_index.url_for_taxon(taxon),
    )
