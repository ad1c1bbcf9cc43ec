"""Every public page type costs the same number of SQL queries with one item of each kind and with many more:
guides, inventories and their observations, events and their dates, associations, lending things and their
units, seed varieties, calls. A page whose count grows with the content has an N+1 query (the bench measures the
time, `bench/bench_pages.py`)."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ateliers.services import sync_occurrences
from demarches.calls.models import CallIndexPage
from demarches.permits.models import Charter, GreeningCampaignPage
from prets.models import LendingCatalogPage, LendingPoint, SeedLibraryPage, SeedVarietyPage, ThingPage, Unit
from ressources.models import Taxon
from ressources.observations import import_observations
from tests.demarches.calls.conftest import make_call
from tests.factories import AssociationFactory, EventPageFactory, GuidePageFactory, InventoryPageFactory

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "data" / "ressources" / "observations"
GROWTH = 6  # more of each kind: enough for a per-item query to show


def _add_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _thing(catalogue, point, number):
    thing = _add_child(catalogue, ThingPage(title=f"Objet {number}", slug=f"objet-{number}", category="outils",
                                            loan_days=14))
    for unit in range(2):
        Unit.objects.create(thing=thing, lending_point=point, code=f"objet-{number}-{unit}")
    return thing


@pytest.fixture
def full_site(small_site):
    """small_site, plus a second guide on its theme (so that the first one has a related guide), the lending
    catalogue, the seed library, a permits campaign and a call for projects."""
    home = small_site.home
    GuidePageFactory(parent=small_site.resources, title="Planter une haie", slug="planter-une-haie",
                     themes=[small_site.theme])
    point = LendingPoint.objects.create(name="La Grange aux Savoirs", address="4 rue des Tilleuls")
    catalogue = _add_child(home, LendingCatalogPage(title="Outilthèque", slug="outilotheque"))
    thing = _thing(catalogue, point, 0)
    seeds = _add_child(home, SeedLibraryPage(title="Grainothèque", slug="grainotheque"))
    variety = _add_child(seeds, SeedVarietyPage(title="Souci officinal", slug="souci", variety="Orange"))
    charter = Charter.objects.create(version="1", clauses="Espèces locales seulement.")
    campaign = _add_child(home, GreeningCampaignPage(title="Permis de végétaliser", slug="permis", charter=charter))
    campaign.recommended_taxa.set(Taxon.objects.order_by("pk")[:1])
    campaign.save()
    calls = _add_child(home, CallIndexPage(title="Appels à projets", slug="appels-a-projets"))
    call = make_call(calls)
    small_site.urls = {
        "accueil": "/",
        "ressources": small_site.resources.url,
        "guide": small_site.guide.url,
        "inventaire": small_site.inventory.url,
        "espèces": small_site.species_index.url,
        "fiche espèce": small_site.species_url,
        "agenda": small_site.agenda.url,
        "activité": small_site.event.url,
        "inscription": small_site.occurrence.get_registration_url(),
        "annuaire": small_site.directory.url,
        "annuaire filtré": f"{small_site.directory.url}?theme={small_site.theme.slug}",
        "association": f"{small_site.directory.url}{small_site.association.slug}/",
        "outilthèque": catalogue.url,
        "objet": thing.url,
        "grainothèque": seeds.url,
        "variété": variety.url,
        "permis": campaign.url,
        "appels": calls.url,
        "appel": call.url,
        "recherche": "/recherche/?q=mare",
    }
    small_site.extra = {"point": point, "catalogue": catalogue, "seeds": seeds, "calls": calls, "campaign": campaign}
    return small_site


def _grow(site):
    """GROWTH more guides, inventories (with their observations), events (with their dates), associations,
    things (with units), seed varieties and calls, on the same themes and under the same parents; more plants
    recommended by the permits campaign."""
    for number in range(GROWTH):
        GuidePageFactory(parent=site.resources, title=f"Guide mare {number}", slug=f"guide-{number}",
                         themes=[site.theme])
        inventory = InventoryPageFactory(parent=site.resources, title=f"Mare {number}", slug=f"mare-{number}")
        import_observations(inventory, (SAMPLES / "darwin-core.csv").read_bytes())
        association = AssociationFactory(name=f"Association des mares {number}", themes=[site.theme])
        event = EventPageFactory(
            parent=site.agenda, title=f"Balade {number}", slug=f"balade-{number}", kind="balade", capacity=5,
            organiser=association, first_date=timezone.localdate() + datetime.timedelta(days=3 + number),
        )
        event.themes.set([site.theme])
        event.save_revision().publish()
        sync_occurrences(event)
        _thing(site.extra["catalogue"], site.extra["point"], number + 1)
        _add_child(site.extra["seeds"], SeedVarietyPage(title=f"Variété {number}", slug=f"variete-{number}"))
        make_call(site.extra["calls"], title=f"Appel {number}", slug=f"appel-{number}")
    campaign = site.extra["campaign"]
    campaign.recommended_taxa.set(Taxon.objects.order_by("pk")[: 1 + GROWTH])
    campaign.save()


def _count(client, url):
    client.get(url)  # warm-up: caches filled (page shell, site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_public_pages_cost_the_same_queries_with_more_content(full_site):
    client = Client()
    before = {name: _count(client, url) for name, url in full_site.urls.items()}
    _grow(full_site)
    after = {name: _count(client, url) for name, url in full_site.urls.items()}
    grown = {name: (before[name], after[name]) for name in before if after[name] > before[name]}
    assert grown == {}
