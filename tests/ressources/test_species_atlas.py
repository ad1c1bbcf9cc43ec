"""Species pages like an atlas: synonyms merged, statuses by territory, photo, phenology, altitudes, queries."""

import datetime
from importlib import import_module

import pytest
import wagtail_factories
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ressources.models import Observation, SpeciesIndexPage, Taxon, TaxonStatus, TaxonResolver, refresh_flags
from tests.factories import InventoryPageFactory


@pytest.fixture
def species_index(home_page):
    return SpeciesIndexPage.objects.get()


@pytest.fixture
def published(resource_index):
    page = InventoryPageFactory(parent=resource_index, title="Mares du Bourg", slug="mares-du-bourg")
    page.save_revision().publish()
    return page


@pytest.fixture
def newt(db):
    return Taxon.objects.create(scientific_name="Triturus cristatus", vernacular_name="Triton crêté", cd_nom=444432,
                                cd_ref=444432, group="amphibiens", family="Salamandridae", rank="ES")


@pytest.fixture
def old_newt(db):
    return Taxon.objects.create(scientific_name="Triturus cristatus Laurenti", cd_nom=139, cd_ref=444432,
                                group="amphibiens")


def observe(inventory, taxon, dates, altitude=None):
    Observation.objects.bulk_create([
        Observation(inventory=inventory, taxon=taxon, scientific_name=taxon.scientific_name, cd_nom=taxon.cd_nom,
                    taxon_group=taxon.group, observed_on=day, latitude="47.3967", longitude="0.6895",
                    altitude=altitude)
        for day in dates
    ])


def days(month, count, year=2025):
    return [datetime.date(year, month, 1 + number % 28) for number in range(count)]


def test_synonym_redirects_and_its_observations_join_the_accepted_page(client, species_index, published, newt,
                                                                        old_newt):
    observe(published, newt, days(5, 2))
    observe(published, old_newt, days(3, 3, year=2023))

    redirect = client.get(species_index.url + "139/")
    assert redirect.status_code == 301 and redirect["Location"] == species_index.url + "444432/"

    page = client.get(species_index.url + "444432/")
    assert page.status_code == 200
    taxon = page.context["taxon"]
    assert (taxon.pk, taxon.observation_count, taxon.first_year, taxon.last_year) == (newt.pk, 5, 2023, 2025)
    assert [(inventory.title, inventory.taxon_observations) for inventory in page.context["inventories"]] == [
        ("Mares du Bourg", 5)
    ]
    assert len(client.get(species_index.url + "444432/carte-json/").json()["places"]) >= 1

    index = client.get(species_index.url)
    assert [t.pk for t in index.context["page_obj"]] == [newt.pk]  # the synonym has no card of its own
    assert index.context["page_obj"][0].observation_count == 5
    assert index.context["facets"]["total"] == 1


def test_synonym_without_its_accepted_name_keeps_its_own_page(client, species_index, published, old_newt):
    observe(published, old_newt, days(4, 1))
    assert client.get(species_index.url + "139/").status_code == 200


def test_statuses_are_labelled_badges_on_page_and_index(client, species_index, published, newt):
    observe(published, newt, days(5, 1))
    TaxonStatus.objects.create(taxon=newt, kind="liste-rouge", type_code="LRR", territory="Centre-Val de Loire",
                               territory_code="INSEER24", territory_level=1, code="VU", label="Vulnérable",
                               source="bdc", document="Livre rouge de la région Centre (2013).")
    TaxonStatus.objects.create(taxon=newt, kind="protection", type_code="PN", code="NAR2", label="Article 2",
                               source="bdc")
    refresh_flags([newt])
    newt.refresh_from_db()
    assert newt.is_threatened and newt.is_protected and newt.needs_blurring

    html = client.get(species_index.url + "444432/").content.decode()
    protection = "Espèce protégée — France métropolitaine : article 2 (NAR2)"
    red_list = "Liste rouge Centre-Val de Loire : vulnérable (VU)"
    assert protection in html and red_list in html
    assert html.index(protection) < html.index(red_list)  # protections first
    assert "Livre rouge de la région Centre" in html
    index_html = client.get(species_index.url + "?status=menace").content.decode()
    assert red_list in index_html and "Triton crêté" in index_html


def test_flags_follow_the_statuses(newt):
    TaxonStatus.objects.create(taxon=newt, kind="liste-rouge", code="NT", label="Quasi menacée")
    TaxonStatus.objects.create(taxon=newt, kind="envahissante", code="EEE")
    refresh_flags([newt])
    newt.refresh_from_db()
    assert (newt.is_protected, newt.is_threatened, newt.is_invasive) == (False, False, True)
    newt.territorial_statuses.all().delete()
    refresh_flags([newt])
    newt.refresh_from_db()
    assert not newt.is_invasive


def test_resolver_gives_new_flags_their_status(db):
    taxon = TaxonResolver().resolve("Bufo spinosus", group="amphibiens", is_protected=True)
    assert list(taxon.territorial_statuses.values_list("kind", "territory", "source")) == [
        ("protection", "France métropolitaine", "saisie")
    ]


def test_atlas_sections(client, species_index, published, newt):
    observe(published, newt, days(3, 3), altitude=120)
    observe(published, newt, days(5, 2), altitude=180)
    newt.image = wagtail_factories.ImageFactory(title="Triton crêté dans une mare")
    newt.image_credit, newt.image_licence = "Camille Martin", "CC BY-SA 4.0"
    newt.description = "<p>Le plus grand de nos tritons, à la crête dentelée au printemps.</p>"
    newt.save()
    frog = Taxon.objects.create(scientific_name="Hyla arborea", vernacular_name="Rainette verte", cd_nom=281,
                                group="amphibiens")
    observe(published, frog, days(6, 1))
    bird = Taxon.objects.create(scientific_name="Parus major", vernacular_name="Mésange charbonnière", cd_nom=3764,
                                group="oiseaux")
    observe(published, bird, days(6, 1))

    response = client.get(species_index.url + "444432/")
    html = response.content.decode()
    assert "Camille Martin" in html and "CC BY-SA 4.0" in html and "crête dentelée" in html
    assert 'role="img"' in html and "mars : 3 observations" in html and "mai : 2 observations" in html
    assert "<th scope=\"row\">juin</th><td>0</td>" in html
    phenology = response.context["phenology"]
    assert [month["count"] for month in phenology["months"]] == [0, 0, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    assert phenology["months"][2]["height"] == 100 and phenology["months"][4]["height"] == 67
    assert "de 120 à 180 m" in html
    assert [other.pk for other in response.context["related_species"]] == [frog.pk]
    assert "Découvrir aussi" in html and "Rainette verte" in html

    index_html = client.get(species_index.url).content.decode()
    assert index_html.count('class="species-card__photo"') == 1


def test_queries_do_not_grow_with_observations(client, species_index, published, newt, old_newt,
                                               django_assert_max_num_queries):
    TaxonStatus.objects.create(taxon=newt, kind="protection", code="NAR2", label="Article 2")
    newt.image = wagtail_factories.ImageFactory()
    newt.save()
    observe(published, newt, days(5, 3), altitude=100)
    observe(published, old_newt, days(4, 2))
    urls = [species_index.url, species_index.url + "444432/"]
    for url in urls:
        client.get(url)  # image renditions are made on the first view

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    few = {url: queries(url) for url in urls}
    observe(published, newt, days(6, 120), altitude=250)
    observe(published, old_newt, days(7, 75))
    assert Observation.objects.count() == 200
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            assert client.get(url).status_code == 200
        assert queries(url) == few[url], url


def test_migration_turns_flags_into_national_statuses(db):
    migration = import_module("ressources.migrations.0007_flags_to_territorial_statuses")
    newt = Taxon.objects.create(scientific_name="Triturus cristatus", group="amphibiens", is_protected=True,
                                is_threatened=True)
    Taxon.objects.create(scientific_name="Bombus terrestris", group="insectes")
    migration.flags_to_statuses(apps, None)
    assert sorted(TaxonStatus.objects.values_list("taxon", "kind", "territory", "source")) == [
        (newt.pk, "liste-rouge", "France métropolitaine", "saisie"),
        (newt.pk, "protection", "France métropolitaine", "saisie"),
    ]
    refresh_flags([newt])
    newt.refresh_from_db()
    assert newt.is_protected and newt.is_threatened  # the statuses justify the flags they came from
