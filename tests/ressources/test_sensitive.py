"""A protected species' precise coordinates appear nowhere public: pages, map JSON, CSV, Darwin Core."""

import datetime
from decimal import Decimal

import pytest

from ressources.models import Observation, SpeciesIndexPage
from ressources.sensitivity import grid_centre, public_location
from tests.factories import ObservationFactory

PRECISE_LAT, PRECISE_LON = "47.397123", "0.689456"


@pytest.fixture
def newt(inventory):
    inventory.observers = "Les Amis des Mares"
    inventory.save_revision().publish()
    return ObservationFactory(
        inventory=inventory, scientific_name="Triturus cristatus", vernacular_name="Triton crêté", cd_nom=444432,
        taxon_group="amphibiens", is_protected=True, latitude=PRECISE_LAT, longitude=PRECISE_LON,
        observed_on=datetime.date(2025, 4, 2),
    )


@pytest.fixture
def species_index(home_page):
    return SpeciesIndexPage.objects.get()


def assert_no_precise_coordinates(text):
    for value in (PRECISE_LAT, PRECISE_LON, PRECISE_LAT[:6], PRECISE_LON[:6], "47.3971", "0.6894"):
        assert value not in text


def test_grid_rule():
    assert grid_centre("47.397123") == grid_centre("47.31") == Decimal("47.35")
    assert grid_centre("0.689456") == Decimal("0.65")
    assert grid_centre("-0.01") == Decimal("-0.05")


def test_blurred_when_taxon_becomes_sensitive(inventory):
    observation = ObservationFactory(inventory=inventory, scientific_name="Bombus terrestris", cd_nom=None,
                                     taxon_group="insectes", is_protected=False, latitude="47.39", longitude="0.68")
    assert public_location(observation)[3] is False
    observation.taxon.is_sensitive = True
    observation.taxon.save()
    observation.refresh_from_db()
    lat, lon, uncertainty, blurred = public_location(observation)
    assert blurred and lat == grid_centre("47.39") and uncertainty > 5000


def test_map_json_is_blurred(client, inventory, newt):
    response = client.get(inventory.url + "carte-json/")

    place = response.json()["places"][0]
    assert place["blurred"] and place["lat"] == pytest.approx(47.35) and place["lon"] == pytest.approx(0.65)
    assert_no_precise_coordinates(response.content.decode())


def test_darwin_core_exports_are_blurred(client, inventory, newt, species_index):
    for url in (inventory.url + "darwin-core/", species_index.url + "darwin-core/"):
        content = b"".join(client.get(url).streaming_content).decode()
        assert "Triturus cristatus" in content and "47.35" in content and "Coordonnées floutées" in content
        assert_no_precise_coordinates(content)


def test_species_page_and_csv_are_blurred(client, inventory, newt, species_index):
    page = client.get(species_index.url + "444432/")
    csv = client.get(inventory.url + "especes-csv/")

    assert page.status_code == 200 and "Triton crêté" in page.content.decode()
    assert_no_precise_coordinates(page.content.decode())
    content = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "Triturus cristatus" in content
    assert_no_precise_coordinates(content)


def test_inventory_page_is_blurred(client, inventory, newt):
    html = client.get(inventory.url).content.decode()

    assert "Triturus cristatus" in html and "floutée" in html
    assert_no_precise_coordinates(html)


def test_precise_coordinates_stay_in_the_admin(admin_client, inventory, newt):
    response = admin_client.get(f"/admin/snippets/ressources/observation/?inventory={inventory.pk}")

    assert response.status_code == 200
    assert "47,397123" in response.content.decode() or PRECISE_LAT in response.content.decode()
    assert Observation.objects.get().latitude is not None
